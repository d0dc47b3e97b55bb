// Types for every query of the site, from Quire's schema. `npm run build` runs this first, so a
// query that no longer matches the schema fails the build. QUIRE_SCHEMA may name another file,
// or a running Quire's /graphql (introspection); the default is the schema of this repository.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: process.env.QUIRE_SCHEMA ?? "../../schema.graphql",
  documents: ["app/**/*.{ts,tsx}", "lib/**/*.ts", "components/**/*.tsx"],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    "./gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { JSON: "unknown" },
      },
    },
  },
};

export default config;
