"""Outbound SMTP: MX selection (mx), one connection (session), delivery (client).

    from mailcore.delivery.outbound import deliver, deliver_many, destinations, Result
"""
from .client import Job, deliver, deliver_many
from .mx import Host, destinations
from .result import DeliveryError, Result

__all__ = ["DeliveryError", "Host", "Job", "Result", "deliver", "deliver_many", "destinations"]
