"""The service's flag helpers: each passes its key on to OpenFeature, so flagops follows them."""
from openfeature import api
from openfeature.evaluation_context import EvaluationContext

client = api.get_client("payments")


def is_enabled(flag: str, user_id: str) -> bool:
    return client.get_boolean_value(flag, False, EvaluationContext(targeting_key=user_id))


def get_variant(flag: str, user_id: str) -> str:
    return client.get_string_value(flag, "control", EvaluationContext(targeting_key=user_id))
