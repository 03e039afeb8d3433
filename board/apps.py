from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "Sense-making board"

    def ready(self) -> None:
        # The client's timeline (sharing, below us) shows the board's history, by the board's own rule.
        from board.timeline import board_moments
        from sharing.timeline import register_source

        register_source(board_moments)
