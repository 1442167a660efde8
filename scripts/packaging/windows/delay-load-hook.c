/*
 * Linked into the cross-compiled pkcs11.node. The addon imports the Node-API functions from
 * "node.exe" (the import library made from node-api-headers' node_api.def), delay-loaded; this hook
 * answers that load with the running executable itself, so the addon works inside a renamed Node or a
 * single executable application (cas-token-host.exe). Without it Windows looks for a node.exe file and
 * the process dies with 0xc06d007e. The MinGW counterpart of node-gyp's win_delay_load_hook.cc.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <delayimp.h>
#include <string.h>

static FARPROC WINAPI load_exe_hook(unsigned event, PDelayLoadInfo info) {
  if (event != dliNotePreLoadLibrary) return NULL;
  if (_stricmp(info->szDll, "node.exe") != 0) return NULL;
  HMODULE module = GetModuleHandleA("libnode.dll"); /* a Node built as a DLL */
  if (module == NULL) module = GetModuleHandleA(NULL);
  return (FARPROC)module;
}

PfnDliHook __pfnDliNotifyHook2 = load_exe_hook;
