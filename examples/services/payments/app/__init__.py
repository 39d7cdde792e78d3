"""The payments service: a FastAPI app that reads the shop's flags through OpenFeature."""
