"""Is a stored sign-in still good? The same test Django applies to each request, for long-lived sockets."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils.crypto import constant_time_compare


def session_is_current(session_key: str) -> bool:
    """True if the session still signs its person in: not signed out, not expired, the account still
    active, and the password unchanged since (Django keeps a hash of it in the session, as here)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).load()
    user_id, session_hash = session.get(SESSION_KEY), session.get(HASH_SESSION_KEY)
    if user_id is None or not session_hash:
        return False
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(session_hash, known) for known in hashes)
