export const db = {
  insert: async (table: string, row: object) => ({ table, row }),
  update: async (table: string, row: object) => ({ table, row }),
  select: async (table: string) => [{ id: table }],
};
