"""A mail-core host with some listeners on free loopback ports, for protocol tests."""
import contextlib
import ssl

from mailcore.service.host import MailcoreHost


@contextlib.contextmanager
def running_host(settings, tmp_path, factories, port_names, **host_options):
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, **dict.fromkeys(port_names, 0)}
    settings.HOPTHU_TLS_CERT = tmp_path / "tls" / "cert.pem"
    settings.HOPTHU_TLS_KEY = tmp_path / "tls" / "key.pem"
    host = MailcoreHost(factories=factories, heartbeat_seconds=60, io_threads=4, **host_options)
    host.start()
    host.ports = {listener.info["name"]: listener.info["port"] for listener in host.listeners
                  if "port" in listener.info}
    try:
        yield host
    finally:
        host.stop()


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test certificate is self-signed
    return context
