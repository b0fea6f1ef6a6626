"""Fair use of the query pool, per client (the model of Wikidata's Query Service).

Each client has a budget of query time: `budget_seconds` of queries per `window_seconds`,
refilled continuously (a token bucket), charged with each query's running time when it ends,
and reckoning its running queries' time so far at admission. It may also have at most
`concurrent` queries running or queued at once. Over either limit a query is refused with
429 and a Retry-After saying when it would be admitted.

The state of a client is announced on every query response in the fields of the IETF draft
"RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers-10):

    RateLimit-Policy: "query-time";q=60;w=60, "concurrent-queries";q=4
    RateLimit: "query-time";r=42;t=18

(`r`: seconds of query time left now; `t`: seconds until the budget is full again).

A client is its IP address (IPv6: its /64 network, which one host can fill with addresses);
behind `trusted_proxies` reverse proxies it is the address the farthest trusted proxy saw,
read from X-Forwarded-For (each proxy appends the address it received the request from).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Policy:
    budget_seconds: float = 60.0    # query time a client may use per window
    window_seconds: float = 60.0
    concurrent: int = 4             # queries a client may have running or queued at once

    @property
    def rate(self) -> float:
        return self.budget_seconds / self.window_seconds

    def policy_header(self) -> str:
        return (f'"query-time";q={self.budget_seconds:g};w={self.window_seconds:g}, '
                f'"concurrent-queries";q={self.concurrent}')


@dataclass
class _Account:
    balance: float
    updated: float
    active: int = 0


@dataclass
class Verdict:
    admitted: bool
    remaining: float                # seconds of query time left
    full_in: float                  # seconds until the budget is full again
    retry_after: int = 0
    reason: str = ""


@dataclass
class Ledger:
    policy: Policy
    accounts: dict[str, _Account] = field(default_factory=dict)

    def _account(self, client: str, now: float) -> _Account:
        account = self.accounts.get(client)
        if account is None:
            account = self.accounts[client] = _Account(self.policy.budget_seconds, now)
        else:
            account.balance = min(self.policy.budget_seconds,
                                  account.balance + (now - account.updated) * self.policy.rate)
            account.updated = now
        return account

    def state(self, client: str, now: float, running: float = 0.0) -> Verdict:
        """The client's budget now; `running`: seconds its running queries have used so far."""
        account = self._account(client, now)
        left = account.balance - running
        full_in = max(0.0, (self.policy.budget_seconds - left) / self.policy.rate)
        return Verdict(True, max(0.0, left), full_in)

    def admit(self, client: str, now: float, running: float = 0.0) -> Verdict:
        verdict = self.state(client, now, running)
        account = self.accounts[client]
        if account.active >= self.policy.concurrent:
            verdict.admitted = False
            verdict.retry_after = 1
            verdict.reason = (f"this client already has {account.active} queries running or "
                              f"waiting, the most one client may have at once here")
        elif verdict.remaining <= 0:
            deficit = running - account.balance
            verdict.admitted = False
            verdict.retry_after = max(1, math.ceil(deficit / self.policy.rate))
            verdict.reason = (f"this client has used its {self.policy.budget_seconds:g} s of "
                              f"query time per {self.policy.window_seconds:g} s")
        else:
            account.active += 1
        return verdict

    def finish(self, client: str, now: float, seconds: float) -> None:
        """A query admitted for `client` ended after running `seconds` (0 if it never ran)."""
        account = self._account(client, now)
        account.active = max(0, account.active - 1)
        account.balance -= seconds

    def prune(self, now: float) -> None:
        """Forget clients with a full budget and nothing running."""
        for client in [c for c, a in self.accounts.items() if a.active == 0]:
            if self._account(client, now).balance >= self.policy.budget_seconds:
                del self.accounts[client]


def client_of(environ: dict, trusted_proxies: int = 0) -> str:
    """The client a request counts against."""
    address = environ.get("REMOTE_ADDR") or "unknown"
    if trusted_proxies > 0:
        hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= trusted_proxies:
            address = hops[-trusted_proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
