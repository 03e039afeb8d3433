from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = "The client page and what changed since you last looked"

    def ready(self) -> None:
        # Opening the board is a visit, as opening the client page is (the board sits below us).
        from board.hooks import register_board_opened
        from overview.services import board_visit

        register_board_opened(board_visit)
