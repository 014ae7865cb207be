from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: demo and district-scale data, benchmark, soak, backup and retention.

    It sits above every other app (it loads and erases their data) and nothing imports it.
    """

    name = "ops"
    verbose_name = "Civic portal operations"
