"""A reproducible corpus of realistic messages: plain, HTML, attachments, Vietnamese.

Used by the benchmarks and by tests that need many varied messages.
"""
import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

VIETNAMESE = (  # noqa: SIM905 (a sentence is easier to read and edit than a list)
    "hóa đơn tháng thanh toán khách hàng công ty hợp đồng báo cáo cuộc họp lịch trình "
    "xin chào cảm ơn trân trọng gửi anh chị em bạn đồng nghiệp dự án kế hoạch ngân sách "
    "Hà Nội Sài Gòn Đà Nẵng giao hàng đơn đặt tài liệu đính kèm phê duyệt nhân sự"
).split()
ENGLISH = (  # noqa: SIM905
    "invoice meeting schedule report project budget review contract customer order "
    "shipping delivery payment reminder quarterly update agenda notes draft proposal "
    "team release server backup migration deadline approval feedback summary"
).split()
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Alice Smith",
         "Bob Jones", "Carol White", "Đặng Thu Hà"]
DOMAINS = ["example.com", "congty.vn", "partner.example", "shop.example.net"]


def _sentence(rng, words, length):
    return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."


def _text(rng, paragraphs=3):
    words = VIETNAMESE if rng.random() < 0.5 else ENGLISH
    return "\n\n".join(
        " ".join(_sentence(rng, words, rng.randint(6, 16)) for _ in range(rng.randint(2, 5)))
        for _ in range(paragraphs)
    )


def make_message(rng: random.Random, index: int, recipient: str) -> bytes:
    """Return one message; the kind (plain, HTML, attachment) varies with the rng."""
    sender_name = rng.choice(NAMES)
    sender = f"user{rng.randint(1, 300)}@{rng.choice(DOMAINS)}"
    words = VIETNAMESE if rng.random() < 0.5 else ENGLISH
    msg = EmailMessage()
    msg["From"] = f"{sender_name} <{sender}>"
    msg["To"] = recipient
    msg["Subject"] = f"{_sentence(rng, words, rng.randint(3, 7))[:-1]} #{index}"
    msg["Date"] = format_datetime(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=index * 7))
    msg["Message-ID"] = f"<bench.{index}@bench.example>"
    if index and rng.random() < 0.3:  # a reply: conversations as the webmail groups them
        parent = rng.randrange(max(0, index - 50), index)
        msg["In-Reply-To"] = f"<bench.{parent}@bench.example>"
        msg["References"] = f"<bench.{parent}@bench.example>"
    text = _text(rng, rng.randint(1, 4))
    kind = rng.random()
    msg.set_content(text)
    if kind < 0.35:
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        msg.add_alternative(
            f"<html><head><style>p {{color: #333}}</style></head><body>{paragraphs}</body></html>",
            subtype="html",
        )
    elif kind < 0.55:
        payload = rng.randbytes(rng.randint(2_000, 30_000))
        msg.add_attachment(payload, maintype="application", subtype="pdf",
                           filename=f"tài-liệu-{index}.pdf")
    return msg.as_bytes()
