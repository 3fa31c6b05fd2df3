import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./models/db/schema.ts",
  out: "./models/db/migrations",
});
