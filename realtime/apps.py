from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Live updates"

    def ready(self) -> None:
        # Signing out, or an account switched off, closes the person's open pages; the directory sits
        # below realtime, so it calls what is registered here rather than importing it.
        from network import hooks
        from realtime.publish import end_sessions

        hooks.register_session_ender(end_sessions)
