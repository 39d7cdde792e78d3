from fastapi import FastAPI

from .features import client, get_variant, is_enabled
from .flags import EXPRESS_PAY, PAYMENTS_KILL_SWITCH, Experiment

app = FastAPI()


@app.get("/payment-methods")
def payment_methods(user_id: str) -> list[str]:
    # The kill switch: on while payments work, switched off in seconds when they do not.
    if not client.get_boolean_value(PAYMENTS_KILL_SWITCH, True):
        return []
    methods = ["card", "bank-transfer"]
    if is_enabled(EXPRESS_PAY, user_id):
        methods.insert(0, "express-pay")
    return methods


@app.get("/pricing")
def pricing(user_id: str) -> dict[str, str]:
    return {"layout": get_variant(Experiment.PRICING_PAGE.value, user_id)}
