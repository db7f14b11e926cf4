"""Put expected records into the stub DNS server (tests/support/dns_server.py), as a domain
owner who followed the panel's guidance would have published them."""
from mailcore.dnsguide.records import Record


def publish(server, records: list[Record], *, skip: tuple[str, ...] = ()):
    """Add every record with a value, except those whose key starts with one of skip."""
    for record in records:
        if not record.value or record.key.startswith(skip):
            continue
        if record.rtype == "TXT":
            server.add_txt(record.name, record.value)
        else:
            server.add(record.name, record.rtype, record.value)
