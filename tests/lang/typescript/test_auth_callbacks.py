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
            ["callbacks.session", "callbacks.jwt"],
        ),
        (  # options declared in the file and handed over by name
            'import NextAuth from "next-auth";\n'
            "const authOptions = { callbacks: { signIn: async () => true } };\n"
            "export default NextAuth(authOptions);",
            ["callbacks.signIn"],
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
            "  callbacks: { redirect: async () => '/' } };",
            ["callbacks.redirect"],
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
            "async function onJwt() {}\n"
            "export default NextAuth({ callbacks: { jwt: onJwt, signIn: onSignIn } });",
        )
    )
    assert [(c.name, c.function, c.module, c.imported) for c in callbacks] == [
        ("callbacks.jwt", "onJwt", None, None),
        ("callbacks.signIn", None, "./telemetry", "onSignIn"),
    ]
    assert callbacks[0].label == "the NextAuth `callbacks.jwt` callback"


@pytest.mark.parametrize(
    "code",
    [
        # an `events` object of something that is not an auth library
        'import mitt from "mitt";\nmitt({ events: { createUser: async () => {} } });',
        # NextAuth events: isolated by the library
        'import NextAuth from "next-auth";\nNextAuth({ events: { async createUser() {} } });',
        # a NextAuth import, but the object is not its configuration
        'import { getServerSession } from "next-auth";\n'
        "const emitter = { events: { signIn: async () => {} } };\n",
    ],
)
def test_other_objects_are_not_callbacks(code: str) -> None:
    """Nor are NextAuth `events`: the library catches and logs whatever they throw."""
    assert names(code) == []
