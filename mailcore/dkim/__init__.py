"""DKIM keys of hosted domains: made with the domain, rotatable, private keys under var/."""
