"""A throw-away source kind that lives only in the test folder: it lands a few greetings per configured word.

It proves a kind is one registration: named in DELIVERY_SOURCE_PLUGINS, it becomes an extract DAG, a CLI
choice, a config model and a raw table without any edit to the product.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from extractors.core.credentials import Credentials
from extractors.core.settings import Scope, SourceSettings, Text
from extractors.core.source_kind import SourceKind, Stream
from extractors.core.streams import RunContext, iso_z

GREETINGS = Stream("greetings", primary_key="id")


class EchoScope(Scope):
    key_field: ClassVar[str] = "word"
    word: Text


class EchoSettings(SourceSettings):
    kind: Literal["echo"]
    scopes: tuple[EchoScope, ...] = Field(min_length=1)
    repeat: int = 3


def plan(settings: EchoSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [scope.key for scope in settings.scopes]


def extract(settings: EchoSettings, ctx: RunContext, scope: str, credentials: Credentials) -> tuple[dict, int]:
    with ctx.writer(GREETINGS.name, scope) as writer:
        for n in range(settings.repeat):
            writer.write(f"{scope}-{n}", {"id": f"{scope}-{n}", "text": f"hello {scope} #{n}"})
        writer.commit(cursor=iso_z(ctx.window_end))
        return {GREETINGS.name: writer.records}, 0


SOURCE_KIND = SourceKind(
    name="echo",
    settings=EchoSettings,
    streams=(GREETINGS,),
    plan=plan,
    extract=extract,
    schedule="5 4 * * *",
    description="Greetings for the source-kind plugin test",
)
