from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "commonground.asks"
    label = "asks"

    def ready(self) -> None:
        # Asks answered and marked helpful count in the network's "give and take" view.
        from commonground.asks.selectors import reciprocity_rows
        from commonground.network.selectors_followups import RECIPROCITY_SOURCES

        if reciprocity_rows not in RECIPROCITY_SOURCES:
            RECIPROCITY_SOURCES.append(reciprocity_rows)
