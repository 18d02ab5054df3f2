// A layout that loads nothing: the pages below read the id.
import type { ReactNode } from "react";
import { ProjectTabs } from "./project-tabs";

export default function ProjectLayout({ children }: { children: ReactNode }) {
  return (
    <section>
      <ProjectTabs />
      {children}
    </section>
  );
}
