"""The aggregator shares one client across its loop; per-service clients live in a registry."""

import httpx

REGIONS = [10000002, 10000043]
clients: dict[str, httpx.Client] = {}


class Aggregator:
    def __init__(self) -> None:
        self.session = httpx.Client(timeout=10)

    def close(self) -> None:
        self.session.close()


def aggregate(save) -> None:
    with httpx.Client(timeout=10) as client:
        for region in REGIONS:
            save(region, client.get(f"/contracts/public/{region}").json())


def connect(services: list[str]) -> None:
    for name in services:
        clients[name] = httpx.Client(base_url=f"https://{name}.internal")


def clients_for(services: list[str]):
    for name in services:
        yield httpx.Client(base_url=f"https://{name}.internal")


def requests_elsewhere(urls: list[str]) -> None:
    # not an HTTP client constructor: a plain function named like one
    for url in urls:
        Session = dict
        Session(url=url)
