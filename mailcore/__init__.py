"""HopThu's mail engine: the directory, the message store and the protocols over them.

mailcore owns the data; panel and webmail are views over it and mailcore imports neither.
"""
