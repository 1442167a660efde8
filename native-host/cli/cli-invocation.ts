/** A parsed command line: the flags every command knows, the file names after the command. */
export interface CliInvocation {
  positionals: string[];
  flags: {
    json?: boolean;
    module?: string[];
    token?: string;
    cert?: string;
    'pin-env'?: string;
    format?: string;
    hash?: string;
    in?: string[];
    out?: string;
    browser?: string;
    'user-data-dir'?: string;
    help?: boolean;
    'key-type'?: string;
    /** csr with a GOST key: the parameter set (tc26-A default, cryptopro-A, …). */
    paramset?: string;
    'from-cert'?: string;
    subject?: string;
    label?: string;
    /** import-cert: install as a CA certificate; verify: trust anchor files and folders. */
    ca?: boolean | string[];
    /** verify: the content of a detached signature. */
    content?: string;
    profile?: string;
    template?: string;
    sign?: boolean;
    /** PAdES: certify (DocMDP) allowing 1 no changes, 2 forms and signatures, 3 also annotations. */
    certify?: string;
    /** CAdES: the content inside the signature instead of a detached .p7s. */
    attached?: boolean;
    /** PAdES: a visible signature box, `page,x,y,w,h` (points) or a corner (`bottom-right`, `1,top-left`, …). */
    visible?: string;
    /** The documents' language (ro, en, ru): signed files' names and the visible box's labels. Default: LANG's. */
    lang?: string;
  };
}
