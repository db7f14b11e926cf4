"""The listeners' certificate as the dashboard reads it: expiry, names, self-signed, or
why it cannot be read (mailcore/service/tls.py)."""
import datetime

from mailcore.service.tls import certificate_status, generate_self_signed


def test_a_self_signed_certificate_says_when_it_expires(tmp_path):
    cert = generate_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem", ["mail.example.test", "127.0.0.1"],
                                days=30)
    status = certificate_status(tmp_path / "cert.pem")
    assert status.problem == ""
    assert status.not_after == cert.not_valid_after_utc
    assert status.days_left() in (29, 30)
    assert status.self_signed is True
    assert status.names == ("mail.example.test",)  # DNS names; the IP address is not one


def test_days_left_counts_from_the_given_moment(tmp_path):
    generate_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem", ["mail.example.test"], days=10)
    status = certificate_status(tmp_path / "cert.pem")
    assert status.days_left(status.not_after + datetime.timedelta(days=2)) == -2


def test_a_missing_or_broken_file_is_a_problem_not_a_crash(tmp_path):
    assert certificate_status(tmp_path / "none.pem").problem == "missing"
    (tmp_path / "bad.pem").write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    assert certificate_status(tmp_path / "bad.pem").problem == "unreadable"


def test_the_configured_certificate_is_read_by_default(settings, tmp_path):
    generate_self_signed(tmp_path / "c.pem", tmp_path / "k.pem", ["mx.example.test"])
    settings.HOPTHU_TLS_CERT = tmp_path / "c.pem"
    assert certificate_status().names == ("mx.example.test",)
