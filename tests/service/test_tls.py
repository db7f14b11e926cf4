"""The self-signed certificate: names, key mode, a verified handshake, idempotence."""
import ipaddress
import socket
import ssl
import stat
import threading

from cryptography import x509
from django.core.management import call_command

from mailcore.service.tls import ensure_certificate, generate_self_signed, server_context


def test_generated_certificate(tmp_path):
    cert_path, key_path = tmp_path / "tls" / "cert.pem", tmp_path / "tls" / "key.pem"
    generate_self_signed(cert_path, key_path, ["mail.example.test", "localhost", "127.0.0.1"])
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["mail.example.test", "localhost"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert b"PRIVATE KEY" in key_path.read_bytes()
    assert b"PRIVATE" not in cert_path.read_bytes()


def test_handshake_verifies_against_the_certificate(tmp_path):
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    generate_self_signed(cert_path, key_path, ["mail.example.test", "localhost", "127.0.0.1"])
    server_ctx = server_context(cert_path, key_path)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve():
        for _ in range(2):
            conn, _ = listener.accept()
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        for name in ("localhost", "127.0.0.1"):
            client_ctx = ssl.create_default_context(cafile=str(cert_path))
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                    client_ctx.wrap_socket(raw, server_hostname=name) as tls:
                assert tls.recv(2) == b"ok"
    finally:
        thread.join(5)
        listener.close()


def test_ensure_and_command_are_idempotent(settings, tmp_path, capsys):
    settings.HOPTHU_TLS_CERT = tmp_path / "tls" / "cert.pem"
    settings.HOPTHU_TLS_KEY = tmp_path / "tls" / "key.pem"
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    call_command("make_tls_cert")
    assert "Created a self-signed certificate for mx.example.test, localhost, 127.0.0.1" in capsys.readouterr().out
    before = settings.HOPTHU_TLS_CERT.read_bytes()
    call_command("make_tls_cert")
    assert "nothing to do" in capsys.readouterr().out
    assert settings.HOPTHU_TLS_CERT.read_bytes() == before
    assert ensure_certificate() is False
    assert ensure_certificate(force=True) is True
    assert settings.HOPTHU_TLS_CERT.read_bytes() != before
