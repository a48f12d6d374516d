// The accounts tools/oin-server.mjs creates for the specs in server-tests/ (plain JavaScript so
// the launcher can read it without a TypeScript step). Two orgs: example.com and other.test.
export const PASSWORD = "correct horse battery staple";

export const ACCOUNTS = [
  { email: "admin@example.com", roles: ["SUPER_ADMIN"], firstName: "Ada", lastName: "Admin" },
  { email: "appadmin@example.com", roles: ["APP_ADMIN"], firstName: "Abe", lastName: "Appadmin" },
  { email: "orgadmin@example.com", roles: ["ORG_ADMIN"], firstName: "Ola", lastName: "Orgadmin" },
  { email: "reviewer@example.com", roles: ["CATALOG_REVIEWER"], firstName: "Rae", lastName: "Reviewer" },
  { email: "admin@other.test", roles: ["SUPER_ADMIN"], firstName: "Otto", lastName: "Other" },
];
