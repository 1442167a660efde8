/*
 * Force-included (-include) when scripts/packaging/build-sea.js compiles pkcs11.node for Linux.
 * Debian 12's glibc (2.36) binds dlopen/dlsym/dlclose/dlerror to their GLIBC_2.34 versions (when libdl
 * was merged into libc), which Debian 11 (2.31) lacks. These directives bind them to the versions
 * every x86-64 glibc has (GLIBC_2.2.5), so the addon needs nothing newer than GLIBC_2.14. Node's own
 * binary links libdl.so.2, and the addon names it too (-l:libdl.so.2), so the old versions resolve on
 * a glibc before 2.34; on 2.34 and later libc.so.6 still exports them as compatibility symbols.
 * build-sea.js checks the result with objdump and fails above GLIBC_2.31.
 */
#if defined(__x86_64__) && defined(__linux__)
__asm__(".symver dlopen,dlopen@GLIBC_2.2.5");
__asm__(".symver dlsym,dlsym@GLIBC_2.2.5");
__asm__(".symver dlclose,dlclose@GLIBC_2.2.5");
__asm__(".symver dlerror,dlerror@GLIBC_2.2.5");
#endif
