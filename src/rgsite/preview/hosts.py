"""Which ``Host`` headers name the preview's server, so DNS rebinding is refused.

A hostile page can make a browser's name for some other site resolve to this computer;
its requests then reach the preview carrying that other name. Only the names this server
is known by are answered.
"""

from __future__ import annotations

import ipaddress

from rgsite.net import LOOPBACK_NAMES

WILDCARDS = ("", "0.0.0.0", "::")


def host_allowed(
    header: str | None, bound: str, port: int, own_names: frozenset[str] = frozenset()
) -> bool:
    """Whether a request's ``Host`` names this server, not some other name (DNS rebinding).

    Loopback names and addresses, ``*.localhost``, the host the server was bound to, and
    — when bound to every interface — any IP address and this machine's own name.
    """
    if not header:
        return False
    header = header.strip().lower()
    if header.startswith("["):
        name, sep, rest = header[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return False
        given = rest[1:]
    else:
        name, _, given = header.partition(":") if header.count(":") == 1 else (header, "", "")
    if given != str(port) and not (given == "" and port == 80):
        return False
    bound = bound.strip("[]").lower()
    # Not every loopback address: a browser that reached this server names it as
    # localhost, by the usual addresses or by the address it was bound to.
    if name in LOOPBACK_NAMES or name.endswith(".localhost") or name == bound:
        return True
    if bound in WILDCARDS:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in own_names
    return False
