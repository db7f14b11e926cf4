"""The second factor as a person's authenticator app gives it, for the sign-in tests."""
import time


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238: HOTP of the 30-second step)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
