"""Flag keys in one place, as the TypeScript shop keeps them in FLAGS."""
from enum import Enum

EXPRESS_PAY = "express-pay"
PAYMENTS_KILL_SWITCH = "payments-enabled"


class Experiment(str, Enum):
    PRICING_PAGE = "pricing-page-test"
