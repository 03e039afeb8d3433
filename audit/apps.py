from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # The directory's writes are audited too, but the directory sits below the audit trail: it calls
        # what is registered here rather than importing audit.
        from audit.services import audit_record
        from network import hooks

        hooks.register_audit_recorder(audit_record)
