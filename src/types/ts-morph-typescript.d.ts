// The TypeScript compiler bundled in @ts-morph/common, imported on its own (see src/scan/analyse-file.ts).
declare module '@ts-morph/common/dist/typescript.js' {
  import { ts } from '@ts-morph/common';
  export default ts;
}
