// A layout renders around every page of the segment: it loads "the" project by its owner, so
// every page under /projects/[projectId] shows the owner's first project in its header.
import type { ReactNode } from "react";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";

// lessons: expect[url-id-lookup]
export default async function ProjectLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  const project = await db.project.findFirst({ where: { ownerId: session.user.id } });
  return (
    <section>
      <header>{project?.name}</header>
      {children}
    </section>
  );
}
