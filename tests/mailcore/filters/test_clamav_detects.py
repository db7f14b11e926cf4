"""clamd (real, with the EICAR test signature) finds the test virus wherever a mail hides it:
clamd itself decodes MIME transfer encodings and zip archives in the stream we send."""
import io
import zipfile
from email.message import EmailMessage

import pytest

from mailcore.filters import clamav
from mailcore.filters.types import VirusResult
from tests.support.services_filters import clamd  # noqa: F401

pytestmark = pytest.mark.slow

# Split in two so this source file is not itself the EICAR test file to a scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(autouse=True)
def _use_clamd(settings, clamd):  # noqa: F811
    settings.HOPTHU_CLAMD = clamd


def mail_with(attachment: bytes, filename: str, maintype="application", subtype="octet-stream") -> bytes:
    message = EmailMessage()
    message["From"] = "mallory@example.org"
    message["To"] = "alice@example.test"
    message["Subject"] = "Invoice"
    message.set_content("Please see the attached file.\n")
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_the_plain_eicar_string_is_infected():
    result = clamav.scan(EICAR)

    assert result.infected
    assert result.name.startswith("Eicar-Test-Signature")


def test_a_base64_attachment_is_decoded_and_found():
    raw = mail_with(EICAR, "eicar.com")
    assert EICAR not in raw  # only clamd's MIME decoder can see it

    result = clamav.scan(raw)

    assert result.infected
    assert result.name.startswith("Eicar-Test-Signature")


def test_a_zipped_attachment_is_unpacked_and_found():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("readme.txt", "nothing here\n")
        zipped.writestr("tools/eicar.com", EICAR)
    raw = mail_with(archive.getvalue(), "tools.zip", subtype="zip")
    assert EICAR not in raw

    assert clamav.scan(raw).infected


def test_a_clean_mail_is_ok():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "EICAR is a test file, not this one.\n")

    result = clamav.scan(mail_with(archive.getvalue(), "notes.zip", subtype="zip"))

    assert result == VirusResult(infected=False)


def test_a_mail_larger_than_one_chunk_is_streamed_whole():
    # The virus sits after several 64 KiB chunks: every chunk reached clamd.
    raw = mail_with(b"A" * (5 * clamav.CHUNK) + b"\n" + EICAR, "big.bin")

    assert clamav.scan(raw).infected
