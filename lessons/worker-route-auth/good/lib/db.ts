export const db = {
  insert: async (table: string, row: object) => ({ table, row }),
  update: async (table: string, row: object) => ({ table, row }),
  select: async (table: string) => [{ id: table }],
  challenges: {
    delete: async (query: { where: { id: string } }) => ({ publicKey: query.where.id }),
  },
};
