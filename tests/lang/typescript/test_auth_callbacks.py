"""Auth-library callbacks as request paths: which functions NextAuth and better-auth run inside
their own requests, found from the configuration object however it is handed over."""

from __future__ import annotations

import pytest

from pytest_lessons.lang.typescript.auth_callbacks import auth_callbacks
from pytest_lessons.source import SourceFile


def names(code: str) -> list[str]:
    return [c.name for c in auth_callbacks(SourceFile.from_text("lib/auth.ts", code))]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # inline, methods and arrows
            'import NextAuth from "next-auth";\n'
            "export const { handlers } = NextAuth({ providers: [],\n"
            "  events: { async createUser({ user }) {} },\n"
            "  callbacks: { session: async ({ session }) => session,\n"
            "    jwt({ token }) { return token } },\n"
            "});",
            ["events.createUser", "callbacks.session", "callbacks.jwt"],
        ),
        (  # options declared in the file and handed over by name
            'import NextAuth from "next-auth";\n'
            "const authOptions = { events: { signIn: async () => {} } };\n"
            "export default NextAuth(authOptions);",
            ["events.signIn"],
        ),
        (  # Auth.js lazy initialiser
            'import NextAuth from "next-auth";\n'
            "export const { auth } = NextAuth(\n"
            "  (req) => ({ callbacks: { signIn() { return true } } }));",
            ["callbacks.signIn"],
        ),
        (  # typed declaration, handed to NextAuth from another file
            'import type { NextAuthOptions } from "next-auth";\n'
            "export const authOptions: NextAuthOptions = {\n"
            "  events: { linkAccount: async () => {} } };",
            ["events.linkAccount"],
        ),
        (
            'import type { NextAuthConfig } from "next-auth";\n'
            "export const config = {\n  callbacks: { authorized: () => true },\n"
            "} satisfies NextAuthConfig;",
            ["callbacks.authorized"],
        ),
        (  # better-auth: nested database hooks and a middleware-wrapped hook
            'import { betterAuth } from "better-auth";\n'
            'import { createAuthMiddleware } from "better-auth/api";\n'
            "export const auth = betterAuth({\n"
            "  databaseHooks: { user: { create: {\n"
            "    before: async (u) => ({ data: u }), after: async () => {} } } },\n"
            "  hooks: { before: createAuthMiddleware(async (ctx) => {}) },\n"
            "});",
            [
                "databaseHooks.user.create.before",
                "databaseHooks.user.create.after",
                "hooks.before",
            ],
        ),
    ],
)
def test_callbacks_of_each_configuration_shape(code: str, expected: list[str]) -> None:
    assert names(code) == expected


def test_named_callbacks_point_at_their_function() -> None:
    callbacks = auth_callbacks(
        SourceFile.from_text(
            "lib/auth.ts",
            'import NextAuth from "next-auth";\nimport { onSignIn } from "./telemetry";\n'
            "async function onCreate() {}\n"
            "export default NextAuth({ events: { createUser: onCreate, signIn: onSignIn } });",
        )
    )
    assert [(c.name, c.function, c.module, c.imported) for c in callbacks] == [
        ("events.createUser", "onCreate", None, None),
        ("events.signIn", None, "./telemetry", "onSignIn"),
    ]
    assert callbacks[0].label == "the NextAuth `events.createUser` callback"


@pytest.mark.parametrize(
    "code",
    [
        # an `events` object of something that is not an auth library
        'import mitt from "mitt";\nmitt({ events: { createUser: async () => {} } });',
        # a NextAuth import, but the object is not its configuration
        'import { getServerSession } from "next-auth";\n'
        "const emitter = { events: { signIn: async () => {} } };\n",
    ],
)
def test_other_objects_are_not_callbacks(code: str) -> None:
    assert names(code) == []
