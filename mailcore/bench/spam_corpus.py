"""A reproducible ham and spam corpus, Vietnamese and English, written for HopThu.

Nothing here comes from a public corpus: the templates below imitate the mail a
Vietnamese business receives. Ham is office mail, invoices and orders from partners,
family mail, newsletters the user subscribed to and service notices; spam is prize and
lottery scams, quick loans, betting sites, fake shops, phishing ("your account is
locked"), crypto schemes, pills and SEO offers. Both sides share words ("hóa đơn",
"account", "khuyến mãi", "payment") so the classifier must weigh evidence, and spam
comes in the disguises spammers use: accents stripped, HTML only, shouting subjects,
look-alike sender domains, missing Message-ID.

    messages(rng, count, spam) -> list[bytes]
"""
import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from mailcore.filters.bayes_tokens import fold

# --- ham ---------------------------------------------------------------------------------

HAM_PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Đặng Thu Hà",
              "Vũ Quốc Huy", "Bùi Lan Anh", "Alice Smith", "Bob Jones", "Carol White", "David Tran",
              "Hoàng Mai Linh", "Ngô Thanh Tùng"]
HAM_DOMAINS = ["congty-abc.vn", "partner.example", "vanphong.com.vn", "example.com", "gmail.example",
               "dulich-viet.vn", "kientruc.example.org"]
NEWSLETTERS = [("Tiki", "tiki.example.vn"), ("GitHub", "github.example.com"), ("VnExpress", "vnexpress.example.net"),
               ("Python Weekly", "pythonweekly.example.com"), ("Vietcombank", "vietcombank.example.com.vn")]
HAM_VI = {
    "subjects": ["Báo cáo doanh thu tháng {m}", "Lịch họp tuần sau", "Hóa đơn số {n} đã thanh toán",
                 "Re: Hợp đồng với đối tác {p}", "Gửi anh chị tài liệu dự án", "Kế hoạch ngân sách quý {q}",
                 "Xác nhận đơn đặt hàng {n}", "Cuối tuần về quê không em?", "Biên bản cuộc họp ngày {d}",
                 "Đề xuất phương án thi công", "Nhắc lịch bảo trì máy chủ", "Re: Góp ý bản thiết kế"],
    "openers": ["Chào anh {name},", "Kính gửi chị {name},", "Gửi cả nhóm,", "Em chào anh ạ,", "Chào {name},"],
    "sentences": [
        "Em gửi anh bản báo cáo doanh thu tháng {m}, số liệu đã được phòng kế toán kiểm tra.",
        "Cuộc họp với đối tác {p} sẽ diễn ra lúc {h} giờ sáng thứ {wd} tại phòng họp tầng ba.",
        "Hóa đơn số {n} đã được thanh toán qua chuyển khoản, anh chị kiểm tra giúp em.",
        "Nhờ anh xem lại điều khoản thanh toán trong hợp đồng trước khi trình giám đốc ký.",
        "Tài liệu đính kèm gồm bản vẽ kỹ thuật và dự toán chi phí cho giai đoạn hai.",
        "Kế hoạch ngân sách quý {q} cần cắt giảm khoảng mười phần trăm chi phí đi lại.",
        "Bên giao hàng báo sẽ giao đủ {k} thùng vào chiều thứ {wd}.",
        "Cuối tuần này cả nhà về Đà Nẵng thăm ông bà, em có đi cùng không?",
        "Mẹ dặn nhớ mang theo áo ấm vì ngoài Hà Nội trời đang lạnh.",
        "Máy chủ email sẽ bảo trì từ {h} giờ tối, thời gian gián đoạn dự kiến ba mươi phút.",
        "Phòng nhân sự đề nghị các bạn cập nhật thông tin bảo hiểm trước ngày {d}.",
        "Chị đã chỉnh lại màu sắc và bố cục trang chủ theo góp ý của khách hàng.",
        "Anh Tùng nhờ em chuyển lời là lịch phỏng vấn ứng viên dời sang thứ {wd}.",
        "Biên bản cuộc họp đã được cập nhật trên thư mục chung của dự án.",
        "Em đã đặt vé máy bay đi Sài Gòn chuyến {h} giờ, anh chị sắp xếp thời gian nhé.",
    ],
    "closers": ["Trân trọng,", "Cảm ơn anh chị,", "Thân mến,", "Em cảm ơn ạ.", "Chúc cả nhà cuối tuần vui vẻ!"],
}
HAM_EN = {
    "subjects": ["Quarterly report for Q{q}", "Meeting notes {d}", "Invoice {n} paid, thank you",
                 "Re: Contract review with {p}", "Agenda for Monday's planning", "Your order #{n} has shipped",
                 "Server maintenance window tonight", "Re: feedback on the design draft", "Lunch on Friday?",
                 "Updated project timeline"],
    "openers": ["Hi {name},", "Dear {name},", "Hello team,", "Hey {name},", "Good morning,"],
    "sentences": [
        "Attached is the quarterly report; finance has reconciled the figures for Q{q}.",
        "The meeting with {p} is moved to {h}:30 on Thursday in the small conference room.",
        "Invoice {n} was paid by bank transfer yesterday, please confirm you received it.",
        "Could you review the payment terms in clause seven before we send the contract?",
        "Your order has shipped and should arrive within {k} working days.",
        "The database migration is scheduled for {h} pm; expect about half an hour of downtime.",
        "I've updated the timeline so the second milestone lands at the end of the month.",
        "Thanks for the feedback on the draft, I moved the navigation to the left as you suggested.",
        "Are you free for lunch on Friday? There's a new pho place near the office.",
        "The budget review is on the shared drive, comments welcome before Wednesday.",
        "We need two more testers for the release candidate, let me know if you can help.",
        "Kids' school trip is on the {d}th, can you pick them up at four?",
    ],
    "closers": ["Best regards,", "Thanks,", "Cheers,", "Kind regards,", "See you soon,"],
}
NEWSLETTER_TEXT = [
    "This week's issue: releases, talks and tutorials picked by the editors. Unsubscribe at any time "
    "from your account settings.",
    "Bản tin tuần này: tin công nghệ, kinh tế và thời sự nổi bật. Quý độc giả có thể hủy đăng ký trong phần cài đặt.",
    "Sao kê tài khoản tháng {m} của quý khách đã sẵn sàng. Vui lòng đăng nhập ứng dụng ngân hàng để xem chi tiết.",
    "Đơn hàng {n} của bạn đang được giao. Khuyến mãi thành viên: giảm 10% cho đơn tiếp theo.",
    "A pull request you review was merged: fix the flaky test in the importer. View it on the web.",
    # Real notices that read like phishing and real offers that read like spam.
    "Cảnh báo: ngân hàng không bao giờ yêu cầu quý khách cung cấp mã OTP hoặc mật khẩu qua điện thoại hay email.",
    "We noticed a new sign-in to your account from Chrome on Windows. If this was you, there's nothing to do.",
    "Khuyến mãi cuối tuần: giảm giá 30% cho sách kỹ năng, miễn phí giao hàng cho đơn từ 300.000 đồng.",
    "Flash sale ends tonight: 20% off headphones for members. You are receiving this because you subscribed.",
]

# --- spam --------------------------------------------------------------------------------

SPAM_NAMES = ["Phòng Khách Hàng", "Ban Tổ Chức", "Hỗ trợ tài khoản", "Customer Service", "Security Team",
              "Winner Department", "Mr. Williams", "Tài Chính 24h", "Dr. Smith Pharmacy", "Crypto Profit",
              "Nhà Cái Uy Tín", "SEO Expert"]
SPAM_WORDS = ["khuyenmai", "quatang", "uudai", "deal", "promo", "vaynhanh", "taichinh", "win", "bonus", "secure",
              "giaohang", "invest", "market", "viet", "global"]
SPAM_TLDS = ["example.xyz", "example.top", "example.shop", "example.click", "example.online", "example.vn"]
SPAM_DOMAINS = ["prize-center.example.xyz", "vaytien24h.example.top", "secure-verify.example.click",
                "bestdeal.example.shop", "nhacai88.example.bet", "pharma-online.example.ru", "cryptogains.example.io",
                "vietcornbank-secure.example.com", "mailer{r}.bulk.example.biz", "seo-rank.example.site"]
SPAM_VI = {
    "subjects": ["CHÚC MỪNG! Bạn đã trúng thưởng {money}", "Vay tiền nhanh không cần thế chấp",
                 "Tài khoản của bạn sẽ bị khóa trong 24 giờ", "Khuyến mãi SỐC giảm giá {pct}% chỉ hôm nay",
                 "Nhà cái uy tín tặng {money} cho thành viên mới", "Việc nhẹ lương cao {money}/tháng",
                 "Xác minh tài khoản ngân hàng ngay", "Cơ hội đầu tư tiền ảo lợi nhuận {pct}%"],
    "sentences": [
        "Chúc mừng quý khách đã trúng thưởng {money} từ chương trình tri ân khách hàng.",
        "Vui lòng bấm vào liên kết bên dưới và nhập thông tin để nhận giải ngay hôm nay.",
        "Vay tiền nhanh trong 15 phút, không cần thế chấp, không thẩm định, lãi suất thấp.",
        "Chỉ cần CMND là được giải ngân {money}, duyệt hồ sơ tự động 24/7.",
        "Tài khoản của quý khách có dấu hiệu bất thường và sẽ bị khóa nếu không xác minh.",
        "Đăng nhập tại đường dẫn sau và cung cấp mã OTP để tiếp tục sử dụng dịch vụ.",
        "Khuyến mãi sốc giảm giá {pct}% toàn bộ sản phẩm, số lượng có hạn, đặt hàng ngay!",
        "Nhà cái uy tín số một châu Á, nạp lần đầu tặng thêm {pct}%, rút tiền siêu tốc.",
        "Cá cược bóng đá, casino trực tuyến, xổ số, tỷ lệ cược cao nhất thị trường.",
        "Tuyển cộng tác viên làm việc tại nhà, việc nhẹ lương cao, thu nhập {money} mỗi tháng.",
        "Đầu tư tiền ảo lợi nhuận cam kết {pct}% mỗi tuần, rút vốn bất cứ lúc nào.",
        "Liên hệ Zalo {phone} để được tư vấn miễn phí, ưu đãi chỉ còn hôm nay.",
        "Hoàn toàn miễn phí, không mất phí, cam kết hoàn tiền nếu không hài lòng.",
        "Công ty chúng tôi chuyên cung cấp dịch vụ kế toán, báo giá trọn gói cho doanh nghiệp mới thành lập.",
        "Kính gửi quý công ty, chúng tôi xin gửi báo giá và mong được hợp tác lâu dài.",
        "Bán data khách hàng doanh nghiệp, danh sách email và số điện thoại mới nhất {k} nghìn liên hệ.",
    ],
    "closers": ["Nhanh tay kẻo lỡ!", "Ưu đãi có hạn!", "Trân trọng, Ban tổ chức", "Hotline: {phone}"],
}
SPAM_EN = {
    "subjects": ["Congratulations! You have WON {money}", "URGENT: verify your account now",
                 "Your mailbox is full - confirm to keep receiving mail", "Cheap meds, no prescription needed",
                 "Make {money} a week from home", "Final notice: unpaid invoice {n}",
                 "Double your bitcoin in 7 days", "Rank #1 on Google guaranteed"],
    "sentences": [
        "You have been selected as the lucky winner of {money} in our international promotion.",
        "To claim your prize, reply with your full name, address and bank account details.",
        "We detected unusual sign-in activity; your account will be suspended unless you verify.",
        "Click the secure link below and confirm your password within 24 hours.",
        "Buy cheap pills online, no prescription needed, discreet worldwide shipping.",
        "Work from home and earn {money} a week, no experience required, limited places.",
        "Our trading bot doubles your bitcoin investment with guaranteed returns of {pct}%.",
        "Your invoice {n} is overdue; open the attached document to avoid legal action.",
        "We guarantee first page ranking on Google for your website at a special price.",
        "This is not spam; you receive this because you signed up to one of our partners.",
        "Act now, this exclusive offer expires tonight. 100% free, risk free, money back.",
        "Dear beneficiary, the transfer of the funds requires a small processing fee.",
        "We are a leading manufacturer and would like to send you our price list and catalogue.",
        "Please find the quotation attached and confirm your order so we can ship this week.",
    ],
    "closers": ["Act now!", "Best regards, Claims Department", "Click here to unsubscribe", "Don't miss out!"],
}


def _fill(rng: random.Random, text: str, name: str = "") -> str:
    return text.format(
        name=name.split()[-1] if name else "", m=rng.randint(1, 12), n=rng.randint(1000, 99999),
        q=rng.randint(1, 4), d=rng.randint(1, 28), h=rng.randint(7, 17), k=rng.randint(2, 40),
        wd=rng.randint(2, 7), p=rng.choice(["Hòa Phát", "Minh Long", "Acme", "Sao Mai", "Globex"]),
        pct=rng.choice([50, 70, 80, 90, 200, 300]), phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        money=rng.choice(["500.000.000 VNĐ", "$1,000,000", "50 triệu", "€250,000", "100 triệu đồng", "$5,000"]),
    )


def _headers(msg, rng, index, display, sender, recipient, subject, auth, authserv, message_id=True):
    """The fields of a message as our MX delivers it: with its Authentication-Results."""
    msg["From"] = f"{display} <{sender}>"
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=index * 13))
    if message_id:
        msg["Message-ID"] = f"<corpus.{index}.{rng.randrange(10**9)}@{sender.rpartition('@')[2]}>"
    domain = sender.rpartition("@")[2]
    msg["Authentication-Results"] = (f"{authserv}; spf={auth[0]} smtp.mailfrom={sender}; "
                                     f"dkim={auth[1]} header.d={domain}; dmarc={auth[2]} header.from={domain}")


def _ham(rng: random.Random, index: int, recipient: str, authserv: str) -> bytes:
    msg = EmailMessage()
    if rng.random() < 0.15:  # a newsletter or notice the user subscribed to
        name, domain = rng.choice(NEWSLETTERS)
        text = _fill(rng, rng.choice(NEWSLETTER_TEXT))
        subject = _fill(rng, rng.choice(["Bản tin tuần {d}", "Weekly digest #{k}", "Thông báo tài khoản",
                                         "Đơn hàng {n} đang giao", "Sao kê tháng {m}"]))
        _headers(msg, rng, index, name, f"noreply@{domain}", recipient, subject, ("pass", "pass", "pass"),
                 authserv)
        msg.set_content(text + f"\n\nhttps://{domain}/account\n")
        html = f"<html><body><p>{text}</p><p><a href=\"https://{domain}/account\">{name}</a></p></body></html>"
        msg.add_alternative(html, subtype="html")
        return msg.as_bytes()
    lang = HAM_VI if rng.random() < 0.55 else HAM_EN
    person, to_name = rng.choice(HAM_PEOPLE), rng.choice(HAM_PEOPLE)
    sender = f"{fold(person.split()[-1]).lower()}.{rng.randint(1, 40)}@{rng.choice(HAM_DOMAINS)}"
    lines = [_fill(rng, rng.choice(lang["openers"]), to_name)]
    lines += [_fill(rng, rng.choice(lang["sentences"])) for _ in range(rng.randint(2, 6))]
    lines += [_fill(rng, rng.choice(lang["closers"])), person]
    auth = rng.choice([("pass", "pass", "pass")] * 6 + [("none", "none", "none"), ("softfail", "none", "none")])
    _headers(msg, rng, index, person, sender, recipient, _fill(rng, rng.choice(lang["subjects"])), auth,
             authserv)
    text = "\n\n".join(lines)
    if rng.random() < 0.1:  # phones without a Vietnamese keyboard
        text = fold(text)
    msg.set_content(text)
    if rng.random() < 0.3:
        msg.add_alternative("<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>",
                            subtype="html")
    elif rng.random() < 0.2:
        msg.add_attachment(rng.randbytes(rng.randint(500, 4000)), maintype="application", subtype="pdf",
                           filename=f"bao-cao-{index}.pdf")
    return msg.as_bytes()


def _spam(rng: random.Random, index: int, recipient: str, authserv: str) -> bytes:
    msg = EmailMessage()
    lang = SPAM_VI if rng.random() < 0.55 else SPAM_EN
    if rng.random() < 0.5:  # snowshoe: a fresh domain for every run of mail
        domain = f"{rng.choice(SPAM_WORDS)}{rng.choice(SPAM_WORDS)}{rng.randint(1, 99)}.{rng.choice(SPAM_TLDS)}"
    else:
        domain = rng.choice(SPAM_DOMAINS).format(r=rng.randint(1, 999))
    local = rng.choice(["info", "support", "noreply", "khuyenmai", "admin", "winner",
                        f"user{rng.randint(1000, 99999)}"])
    subject = _fill(rng, rng.choice(lang["subjects"]))
    lines = [_fill(rng, rng.choice(lang["sentences"])) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:  # padding borrowed from ordinary mail ("hash busting")
        ham = HAM_VI if lang is SPAM_VI else HAM_EN
        lines.insert(rng.randrange(len(lines) + 1), _fill(rng, rng.choice(ham["sentences"])))
    lines.append(_fill(rng, rng.choice(lang["closers"])))
    if rng.random() < 0.35:  # accents stripped to dodge word filters
        subject, lines = fold(subject), [fold(line) for line in lines]
    if rng.random() < 0.2:
        subject = subject.upper()
    auth = rng.choice([("fail", "none", "fail"), ("softfail", "none", "none"), ("none", "none", "none"),
                       ("pass", "pass", "none"), ("neutral", "none", "none")])
    _headers(msg, rng, index, rng.choice(SPAM_NAMES), f"{local}@{domain}", recipient, subject, auth,
             authserv, message_id=rng.random() < 0.7)
    link = f"http://{rng.choice(['bit.example.ly', domain, f'{rng.randint(10, 250)}.{rng.randint(0, 255)}.3.7'])}" \
           f"/{rng.choice(['claim', 'verify', 'login', 'dangky', 'nhanqua'])}?id={rng.randrange(10**6)}"
    if rng.random() < 0.5:  # HTML only, the text inside tables and fonts
        body = "".join(f"<p><font size=\"{rng.randint(3, 6)}\">{line}</font></p>" for line in lines)
        msg.set_content(f"<html><body><table><tr><td>{body}<a href=\"{link}\"><img src=\"{link}.png\">"
                        f"</a></td></tr></table></body></html>", subtype="html")
    else:
        msg.set_content("\n\n".join(lines) + f"\n\n{link}\n")
    return msg.as_bytes()


def messages(rng: random.Random, count: int, spam: bool, recipient: str = "user@bench.example",
             authserv_id: str = "") -> list[bytes]:
    """count distinct ham or spam messages to recipient, reproducible from the rng.

    authserv_id names the MX in their Authentication-Results (RFC 8601 §2.2); give
    settings.HOPTHU_HOSTNAME for the built-in rules to read the results as our own.
    """
    make = _spam if spam else _ham
    return [make(rng, index, recipient, authserv_id or "mx.bench.example") for index in range(count)]
