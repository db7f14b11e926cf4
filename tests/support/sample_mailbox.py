"""A mailbox as a real user has one, for the layout tests and the screenshots in docs/img/.

Thirty-six messages in alice's Inbox: Vietnamese and English senders and subjects, long
subjects, HTML and plain text, attachments, flagged and unread ones, and one conversation
of eight messages (References/In-Reply-To chains, RFC 5322 §3.6.4). Built with the email
package and appended through the store's one append path, as delivery does.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from mailcore.store.append import append

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

THREAD_SUBJECT = "Kế hoạch ra mắt sản phẩm quý 4"
THREAD_PEOPLE = [
    ("Phạm Minh", "minh@partner.test"),
    ("Alice Nguyễn", "alice@example.test"),
    ("Trần Thu Hà", "ha@partner.test"),
    ("Phạm Minh", "minh@partner.test"),
    ("Lê Văn Dũng", "dung@partner.test"),
    ("Alice Nguyễn", "alice@example.test"),
    ("Trần Thu Hà", "ha@partner.test"),
    ("Phạm Minh", "minh@partner.test"),
]
THREAD_LINES = [
    "Chào cả nhóm, mình gửi bản nháp kế hoạch ra mắt sản phẩm quý 4. Mọi người xem giúp phần lịch trình nhé.",
    "Cảm ơn anh Minh. Phần lịch trình ổn, nhưng ngày ra mắt nên lùi sang thứ Hai để đội hỗ trợ kịp chuẩn bị.",
    "Em đồng ý với chị Alice. Bên marketing cần thêm ba ngày cho bài viết và video giới thiệu.",
    "Được, mình sửa thành thứ Hai 17/11. Ngân sách quảng cáo giữ nguyên như bản trước.",
    "Bên kỹ thuật sẽ khoá tính năng từ thứ Tư. Bản phát hành thử sẽ có vào sáng thứ Năm.",
    "Tuyệt. Mình sẽ gửi lịch họp tổng duyệt vào thứ Sáu lúc 14:00, phòng họp tầng 3.",
    "Em gửi kèm bảng kiểm tra trước ngày ra mắt, mọi người điền giúp em trước thứ Sáu.",
    "Chốt kế hoạch nhé: ra mắt thứ Hai 17/11, tổng duyệt thứ Sáu 14:00. Cảm ơn cả nhóm!",
]

# (sender name, address, subject, text, options) — newest last; options: html, attach,
# flagged, read.
SINGLES = [
    ("Ngân hàng Á Châu", "thongbao@acb.test", "Sao kê tài khoản tháng 10/2026",
     "Kính gửi Quý khách, sao kê tài khoản tháng 10 đã sẵn sàng. Vui lòng xem tệp đính kèm.",
     {"attach": "sao-ke-thang-10.pdf", "read": True}),
    ("GitHub", "noreply@github.test", "[hopthu/hopthu] Pull request #128: Split the IMAP parser into its own module",
     "merged 3 commits into main from split-parser. The parser now raises ImapBad for every grammar error.",
     {"read": True}),
    ("Lê Thị Hoa", "hoa@congty.test", "Hóa đơn tiền điện tháng 11",
     "Chào chị, em gửi hóa đơn tiền điện tháng 11 của văn phòng. Tổng cộng 4.520.000 đồng.",
     {"attach": "hoa-don-dien-t11.pdf", "flagged": True}),
    ("Shopee", "no-reply@shopee.test", "Đơn hàng #240917 đã được giao thành công",
     "Đơn hàng của bạn đã được giao. Hãy đánh giá sản phẩm để nhận 200 xu.",
     {"html": True, "read": True}),
    ("Tom Baker", "tom@example.org", "Lunch on Friday?",
     "Hi Alice, are you free for lunch on Friday? There is a new phở place near the office.",
     {}),
    ("Vietnam Airlines", "booking@vietnamairlines.test", "Xác nhận đặt chỗ: Hà Nội – TP. Hồ Chí Minh, 21/11",
     "Cảm ơn Quý khách đã đặt vé. Mã đặt chỗ: K7QX2M. Chuyến bay VN213 khởi hành lúc 07:00.",
     {"html": True, "attach": "ve-dien-tu.pdf", "read": True}),
    ("Nguyễn Văn An", "an@congty.test", "Báo cáo doanh thu tuần 45",
     "Chị Alice ơi, em gửi báo cáo doanh thu tuần 45. Doanh thu tăng 12% so với tuần trước.",
     {"attach": "doanh-thu-tuan-45.pdf"}),
    ("Let's Encrypt", "expiry@letsencrypt.test",
     "Your certificate (or certificates) for mail.example.test will expire in 20 days",
     "Hello, your certificate for mail.example.test will expire on 2026-12-01. Please renew it.",
     {"read": True}),
    ("Trần Quốc Bảo", "bao@partner.test", "Hợp đồng dịch vụ năm 2027 – bản sửa đổi lần 2",
     "Chào chị, bên em đã sửa điều khoản thanh toán theo góp ý. Chị xem và ký giúp em nhé.",
     {"attach": "hop-dong-2027-v2.pdf", "flagged": True, "read": True}),
    ("Coursera", "no-reply@coursera.test", "Bạn đã hoàn thành 80% khoá học Machine Learning",
     "Chúc mừng! Chỉ còn hai bài nữa là bạn nhận được chứng chỉ.",
     {"html": True, "read": True}),
    ("Mai Anh", "maianh@gmail.test", "Ảnh chuyến đi Đà Lạt 🌲",
     "Gửi cả nhà ảnh chuyến đi Đà Lạt cuối tuần rồi. Mọi người tải về trước Chủ nhật nhé.",
     {"attach": "da-lat.zip", "read": True}),
    ("HR Department", "hr@example.test", "Updated leave policy for 2027",
     "Dear all, please find the updated leave policy attached. The main change is two more days of annual leave.",
     {"attach": "leave-policy-2027.pdf", "read": True}),
    ("Đỗ Thanh Tùng", "tung@congty.test", "Re: Lịch trực hệ thống tháng 12",
     "Em nhận trực tuần 2 và tuần 4. Anh chị nào đổi lịch thì báo em trước ngày 25.",
     {"read": True}),
    ("Grab", "receipts@grab.test", "Biên lai chuyến đi của bạn – 86.000 ₫",
     "Cảm ơn bạn đã đi cùng Grab. Chuyến đi từ Hoàn Kiếm đến Cầu Giấy, 9,2 km.",
     {"html": True, "read": True}),
    ("Phòng Kế toán", "ketoan@example.test", "Nhắc nộp chứng từ trước ngày 30",
     "Các anh chị vui lòng nộp đủ chứng từ công tác phí tháng 11 trước ngày 30.",
     {}),
    ("Sarah Chen", "sarah@example.org", "Slides for Tuesday's workshop",
     "Hi Alice, here are the slides for Tuesday. Let me know if you want me to cut the security part.",
     {"attach": "workshop.pdf", "read": True}),
    ("Tiki", "hotro@tiki.test", "Mã giảm giá 50% cho đơn hàng đầu tiên trong tháng",
     "Nhập mã TIKI50 khi thanh toán. Áp dụng đến hết ngày 30/11.",
     {"html": True, "read": True}),
    ("Hoàng Lan", "lan@congty.test", "Góp ý cho giao diện webmail mới",
     "Giao diện mới dễ dùng hơn nhiều. Có thể thêm phím tắt để lưu trữ nhanh không chị?",
     {"flagged": True}),
    ("Nextcloud", "admin@cloud.example.test", "Dung lượng lưu trữ đã dùng 90%",
     "Tài khoản của bạn đã dùng 9 GB trên 10 GB. Hãy xoá bớt tệp hoặc nâng cấp gói.",
     {"read": True}),
    ("Vũ Đức Thắng", "thang@partner.test", "Mời họp: Đánh giá dự án HopThu giai đoạn 1",
     "Kính mời chị tham dự buổi đánh giá dự án lúc 9:00 thứ Ba tại phòng họp lớn.",
     {"attach": "invite.ics"}),
    ("Bùi Phương Thảo", "thao@congty.test", "Danh sách khách mời tiệc cuối năm",
     "Em tổng hợp danh sách khách mời, chị bổ sung giúp em các đối tác bên Hà Nội nhé.",
     {"read": True}),
    ("Ngô Quang Huy", "huy@congty.test", "Xin nghỉ phép ngày 24/11",
     "Em xin phép nghỉ ngày 24/11 để giải quyết việc gia đình. Công việc em đã bàn giao cho Tùng.",
     {}),
    ("Docker Hub", "noreply@docker.test", "Your weekly image pull summary",
     "hopthu/hopthu was pulled 1,204 times this week.",
     {"read": True}),
    ("Lý Thu Trang", "trang@example.org", "Câu hỏi về cấu hình DKIM cho tên miền công ty",
     "Chị ơi, em đã thêm bản ghi TXT nhưng kiểm tra vẫn báo sai. Chị xem giúp em với.",
     {}),
    ("Mozilla Thunderbird", "news@thunderbird.test", "What's new in Thunderbird 140",
     "Thunderbird 140 brings a faster message list and better OAuth support.",
     {"html": True, "read": True}),
    ("Phan Hải Yến", "yen@congty.test", "Kết quả khảo sát nhân viên 2026",
     "Kết quả khảo sát đã có, điểm hài lòng chung là 4,2/5. Chi tiết trong tệp đính kèm.",
     {"attach": "khao-sat-2026.pdf", "read": True}),
    ("Đặng Minh Khoa", "khoa@partner.test", "Báo giá máy chủ mới",
     "Gửi chị báo giá hai máy chủ 32 nhân, 128 GB RAM, giao trong 10 ngày.",
     {"attach": "bao-gia.pdf"}),
    ("Tom Baker", "tom@example.org", "Re: Lunch on Friday?",
     "Great, see you at 12:30 at the entrance.",
     {"read": True}),
]


@dataclass
class SampleMailbox:
    folder_id: int
    thread_uids: list
    single_uids: list


def _mail(name, address, subject, text, when, message_id, html=False, attach=None, in_reply_to=None,
          references=()):
    mail = EmailMessage()
    mail["From"] = f"{name} <{address}>"
    mail["To"] = "Alice Nguyễn <alice@example.test>"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = " ".join(references)
    mail.set_content(text)
    if html:
        mail.add_alternative(f"<div style='font-family:sans-serif'><h2>{subject}</h2><p>{text}</p>"
                             "<p><a href='https://example.org/'>Xem chi tiết</a></p></div>", subtype="html")
    if attach:
        mail.add_attachment(PDF, maintype="application", subtype="octet-stream", filename=attach)
    return bytes(mail)


def fill(account, now=None) -> SampleMailbox:
    """Put the sample messages into account's Inbox, dated up to ten days before now."""
    now = now or datetime.now(UTC).replace(second=0, microsecond=0)
    folder_id = None
    thread_uids, single_uids = [], []
    start = now - timedelta(days=10)
    ids = []
    for index, (name, address) in enumerate(THREAD_PEOPLE):
        when = start + timedelta(days=index, hours=2)
        message_id = f"<plan-{index}@partner.test>"
        subject = THREAD_SUBJECT if index == 0 else f"Re: {THREAD_SUBJECT}"
        raw = _mail(name, address, subject, THREAD_LINES[index], when, message_id,
                    attach="bang-kiem-tra.pdf" if index == 6 else None,
                    in_reply_to=ids[-1] if ids else None, references=ids)
        ids.append(message_id)
        flags = ["\\Seen"] if index < 6 else []
        appended = append(account.pk, "INBOX", raw, flags=flags, internal_date=when)
        folder_id = appended.folder_id
        thread_uids.append(appended.uid)
    step = timedelta(hours=240) / (len(SINGLES) + 1)
    for index, (name, address, subject, text, options) in enumerate(SINGLES):
        when = start + step * (index + 1)
        raw = _mail(name, address, subject, text, when, f"<single-{index}@sample.test>",
                    html=options.get("html", False), attach=options.get("attach"))
        flags = (["\\Seen"] if options.get("read") else []) + (["\\Flagged"] if options.get("flagged") else [])
        single_uids.append(append(account.pk, "INBOX", raw, flags=flags, internal_date=when).uid)
    return SampleMailbox(folder_id, thread_uids, single_uids)
