"""The stub DNS server lives with the benchmarks (mailcore/bench/dns_stub.py), which need
it too: a mail server's checks must not wait on the outside world's DNS in a benchmark."""
from mailcore.bench.dns_stub import StubDNSServer

__all__ = ["StubDNSServer"]
