"""A stub DNS server on 127.0.0.1 (UDP and TCP) answering from a dict of records.

The mail core's resolver is pointed at it (HOPTHU_DNS_SERVERS), so MX, SPF, DKIM and
DMARC lookups go over the real protocol through dnspython, as in production. Tests use it
for every lookup; the benchmarks use it so that an unreachable resolver (an offline
machine) doesn't turn every inbound check into a timeout.

    server.add("example.net", "MX", "10 mx.example.net.")
    server.add("mx.example.net", "A", "127.0.0.1")
    server.fail("broken.test")          # SERVFAIL: a temporary error

Names not added answer NXDOMAIN; a name added with other types answers NOERROR/empty.
"""
import socketserver
import struct
import threading

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class StubDNSServer:
    def __init__(self):
        self.records: dict[tuple[dns.name.Name, int], list] = {}
        self.failing: set[dns.name.Name] = set()
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class UDPHandler(socketserver.BaseRequestHandler):
            def handle(self):
                data, sock = self.request
                reply = server.answer(data, udp=True)
                if reply is not None:
                    sock.sendto(reply, self.client_address)

        class TCPHandler(socketserver.BaseRequestHandler):
            def handle(self):
                header = self.request.recv(2)
                if len(header) < 2:
                    return
                (length,) = struct.unpack("!H", header)
                data = b""
                while len(data) < length:
                    chunk = self.request.recv(length - len(data))
                    if not chunk:
                        return
                    data += chunk
                reply = server.answer(data, udp=False)
                if reply is not None:
                    self.request.sendall(struct.pack("!H", len(reply)) + reply)

        # TCP first on a free port, then UDP on the same number; retry if UDP's is taken.
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        for attempt in range(20):
            self.tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), TCPHandler)
            self.port = self.tcp.server_address[1]
            try:
                self.udp = socketserver.ThreadingUDPServer(("127.0.0.1", self.port), UDPHandler)
                break
            except OSError:
                self.tcp.server_close()
                if attempt == 19:
                    raise
        self.udp.daemon_threads = self.tcp.daemon_threads = True

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self):
        for server in (self.udp, self.tcp):
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        for server in (self.udp, self.tcp):
            server.shutdown()
            server.server_close()

    def add(self, name: str, rdtype: str, text: str, ttl: int = 300):
        """Add one record given in zone-file syntax, e.g. add("x.test", "MX", "10 mx.x.test.")."""
        key = (dns.name.from_text(name), dns.rdatatype.from_text(rdtype))
        rdata = dns.rdata.from_text(dns.rdataclass.IN, key[1], text)
        with self._lock:
            self.records.setdefault(key, []).append((rdata, ttl))

    def add_txt(self, name: str, value: str):
        """Add a TXT record of any length (split into 255-octet character-strings)."""
        data = value.encode()
        chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
        self.add(name, "TXT", " ".join('"' + c.decode().replace('"', '\\"') + '"' for c in chunks))

    def fail(self, name: str):
        with self._lock:
            self.failing.add(dns.name.from_text(name))

    def answer(self, data: bytes, udp: bool) -> bytes | None:
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if not query.question:
            response.set_rcode(dns.rcode.FORMERR)
            return response.to_wire()
        question = query.question[0]
        self.queries.append((question.name.to_text(omit_final_dot=True), dns.rdatatype.to_text(question.rdtype)))
        with self._lock:
            if question.name in self.failing:
                response.set_rcode(dns.rcode.SERVFAIL)
                return response.to_wire()
            known = any(name == question.name for name, _type in self.records)
            found = self.records.get((question.name, question.rdtype), [])
        if not known:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif found:
            rrset = dns.rrset.RRset(question.name, dns.rdataclass.IN, question.rdtype)
            for rdata, ttl in found:
                rrset.add(rdata, ttl)
            response.answer.append(rrset)
        wire = response.to_wire(max_size=65535)
        limit = (query.payload if query.edns >= 0 else 512) if udp else 65535
        if len(wire) > limit:  # RFC 1035 §4.2.1: truncate; the client retries over TCP
            response.answer.clear()
            response.flags |= dns.flags.TC
            wire = response.to_wire()
        return wire
