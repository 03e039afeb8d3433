"""Shared pieces for the board tests. The cast is tests/conftest.py's: Alice leads Grace's circle (Early
Help), Bob is in it (Early Help), Carol is in it (Health), Charlie (Police) is outside it."""

from board import services


def board_url(client, rest: str = "") -> str:
    return f"/clients/{client.public_id}/board/{rest}"


def api_url(client, rest: str = "") -> str:
    return f"/api/v1/clients/{client.public_id}/board/{rest}"


def worry(actor, client, text="Rent arrears are growing", *, kind="danger", visibility="circle"):
    return services.card_add(
        actor=actor, client=client, column="worry", text=text, kind=kind, visibility=visibility
    )


def strength(actor, client, text="Grace walks the children to school every day", *, visibility="circle"):
    return services.card_add(
        actor=actor, client=client, column="working_well", text=text, visibility=visibility
    )


def next_step(actor, client, text="Ask the housing office for a repayment plan", *, visibility="circle"):
    return services.card_add(actor=actor, client=client, column="next_step", text=text, visibility=visibility)
