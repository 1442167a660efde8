/*
 * A PKCS#11 module for Windows (a DLL cross-compiled with mingw-w64) that stands in for a USB token in
 * the MSI tests under Wine, where neither a real token nor SoftHSM2 exists: one slot, one initialised
 * token, one public X.509 certificate object (the DER comes from windows-test-token-certificate.h,
 * written by the test at build time). Read-only, no keys, no login, no signing: enough for `status`
 * (slot list, token info) and `certificates` (sessions, object search, attributes). Test support
 * only, never shipped.
 */
#include <string.h>

#pragma pack(push, cryptoki, 1) /* Windows PKCS#11 structures are packed to 1 byte (as pkcs11js expects) */
#include "pkcs11.h"             /* the one pkcs11js ships (node_modules/pkcs11js/includes/pkcs11) */
#pragma pack(pop, cryptoki)

#include "windows-test-token-certificate.h" /* TEST_CERTIFICATE_DER[], TEST_CERTIFICATE_ID[], TEST_CERTIFICATE_LABEL */

#define SLOT_ID 1
#define SESSION_HANDLE 1
#define CERTIFICATE_HANDLE 1

static CK_FUNCTION_LIST functions;
static int initialized;
static int session_open;
static int search_active;
static int search_found;

/* Space-padded, not NUL-terminated: how PKCS#11 hands out its fixed-size strings. */
static void padded(CK_UTF8CHAR *field, size_t size, const char *text) {
  size_t length = strlen(text);
  memset(field, ' ', size);
  memcpy(field, text, length < size ? length : size);
}

static CK_RV not_supported(void) {
  return CKR_FUNCTION_NOT_SUPPORTED;
}

static CK_RV test_Initialize(CK_VOID_PTR args) {
  (void)args;
  if (initialized) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
  initialized = 1;
  return CKR_OK;
}

static CK_RV test_Finalize(CK_VOID_PTR reserved) {
  if (reserved != NULL_PTR) return CKR_ARGUMENTS_BAD;
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  initialized = session_open = search_active = 0;
  return CKR_OK;
}

static CK_RV test_GetInfo(CK_INFO_PTR info) {
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  memset(info, 0, sizeof *info);
  info->cryptokiVersion.major = 2;
  info->cryptokiVersion.minor = 40;
  padded(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  padded(info->libraryDescription, sizeof info->libraryDescription, "Windows test token (Wine)");
  info->libraryVersion.major = 1;
  return CKR_OK;
}

static CK_RV test_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count) {
  (void)present;
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slots == NULL_PTR) {
    *count = 1;
    return CKR_OK;
  }
  if (*count < 1) {
    *count = 1;
    return CKR_BUFFER_TOO_SMALL;
  }
  slots[0] = SLOT_ID;
  *count = 1;
  return CKR_OK;
}

static CK_RV test_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(info, 0, sizeof *info);
  padded(info->slotDescription, sizeof info->slotDescription, "Test reader under Wine");
  padded(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  info->flags = CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
  return CKR_OK;
}

static CK_RV test_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(info, 0, sizeof *info);
  padded(info->label, sizeof info->label, "CAS Wine Token");
  padded(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  padded(info->model, sizeof info->model, "Wine DLL");
  padded(info->serialNumber, sizeof info->serialNumber, "WINE0001");
  info->flags = CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED | CKF_LOGIN_REQUIRED | CKF_WRITE_PROTECTED;
  info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
  info->ulMaxRwSessionCount = 0;
  info->ulMaxPinLen = 16;
  info->ulMinPinLen = 4;
  info->ulTotalPublicMemory = info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
  info->ulTotalPrivateMemory = info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
  return CKR_OK;
}

static CK_RV test_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR mechanisms, CK_ULONG_PTR count) {
  (void)mechanisms;
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  *count = 0; /* no keys, so nothing to sign with */
  return CKR_OK;
}

static CK_RV test_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR application, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR session) {
  (void)application;
  (void)notify;
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  if (!(flags & CKF_SERIAL_SESSION)) return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
  if (flags & CKF_RW_SESSION) return CKR_TOKEN_WRITE_PROTECTED;
  session_open = 1;
  *session = SESSION_HANDLE;
  return CKR_OK;
}

static CK_RV check_session(CK_SESSION_HANDLE session) {
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  return session == SESSION_HANDLE && session_open ? CKR_OK : CKR_SESSION_HANDLE_INVALID;
}

static CK_RV test_CloseSession(CK_SESSION_HANDLE session) {
  CK_RV rv = check_session(session);
  if (rv == CKR_OK) session_open = search_active = 0;
  return rv;
}

static CK_RV test_CloseAllSessions(CK_SLOT_ID slot) {
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  session_open = search_active = 0;
  return CKR_OK;
}

static CK_RV test_GetSessionInfo(CK_SESSION_HANDLE session, CK_SESSION_INFO_PTR info) {
  CK_RV rv = check_session(session);
  if (rv != CKR_OK) return rv;
  info->slotID = SLOT_ID;
  info->state = CKS_RO_PUBLIC_SESSION;
  info->flags = CKF_SERIAL_SESSION;
  info->ulDeviceError = 0;
  return CKR_OK;
}

/* The certificate object's attributes: where the bytes of `type` are, or 0 when it has no such attribute. */
static const void *certificate_attribute(CK_ATTRIBUTE_TYPE type, CK_ULONG *length) {
  static const CK_OBJECT_CLASS object_class = CKO_CERTIFICATE;
  static const CK_CERTIFICATE_TYPE certificate_type = CKC_X_509;
  static const CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  switch (type) {
    case CKA_CLASS: *length = sizeof object_class; return &object_class;
    case CKA_CERTIFICATE_TYPE: *length = sizeof certificate_type; return &certificate_type;
    case CKA_TOKEN: *length = sizeof yes; return &yes;
    case CKA_PRIVATE: *length = sizeof no; return &no;
    case CKA_ID: *length = sizeof TEST_CERTIFICATE_ID; return TEST_CERTIFICATE_ID;
    case CKA_LABEL: *length = strlen(TEST_CERTIFICATE_LABEL); return TEST_CERTIFICATE_LABEL;
    case CKA_VALUE: *length = sizeof TEST_CERTIFICATE_DER; return TEST_CERTIFICATE_DER;
    default: return 0;
  }
}

static CK_RV test_FindObjectsInit(CK_SESSION_HANDLE session, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  CK_RV rv = check_session(session);
  if (rv != CKR_OK) return rv;
  if (search_active) return CKR_OPERATION_ACTIVE;
  search_active = 1;
  search_found = 0;
  for (CK_ULONG i = 0; i < count; i++) {
    CK_ULONG length;
    const void *value = certificate_attribute(template[i].type, &length);
    if (!value || length != template[i].ulValueLen || memcmp(value, template[i].pValue, length) != 0) {
      search_found = 1; /* no match: report it as already handed out */
      return CKR_OK;
    }
  }
  return CKR_OK;
}

static CK_RV test_FindObjects(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE_PTR objects, CK_ULONG max, CK_ULONG_PTR count) {
  CK_RV rv = check_session(session);
  if (rv != CKR_OK) return rv;
  if (!search_active) return CKR_OPERATION_NOT_INITIALIZED;
  *count = 0;
  if (!search_found && max > 0) {
    objects[0] = CERTIFICATE_HANDLE;
    *count = 1;
    search_found = 1;
  }
  return CKR_OK;
}

static CK_RV test_FindObjectsFinal(CK_SESSION_HANDLE session) {
  CK_RV rv = check_session(session);
  if (rv != CKR_OK) return rv;
  if (!search_active) return CKR_OPERATION_NOT_INITIALIZED;
  search_active = 0;
  return CKR_OK;
}

static CK_RV test_GetAttributeValue(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  CK_RV rv = check_session(session);
  if (rv != CKR_OK) return rv;
  if (object != CERTIFICATE_HANDLE) return CKR_OBJECT_HANDLE_INVALID;
  CK_RV result = CKR_OK;
  for (CK_ULONG i = 0; i < count; i++) {
    CK_ULONG length;
    const void *value = certificate_attribute(template[i].type, &length);
    if (!value) {
      template[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
      result = CKR_ATTRIBUTE_TYPE_INVALID;
    } else if (template[i].pValue == NULL_PTR) {
      template[i].ulValueLen = length;
    } else if (template[i].ulValueLen < length) {
      template[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
      result = CKR_BUFFER_TOO_SMALL;
    } else {
      memcpy(template[i].pValue, value, length);
      template[i].ulValueLen = length;
    }
  }
  return result;
}

CK_RV __declspec(dllexport) C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == NULL_PTR) return CKR_ARGUMENTS_BAD;
  if (functions.version.major == 0) {
    /* Every entry point first answers CKR_FUNCTION_NOT_SUPPORTED (pkcs11f.h lists them all)… */
#define CK_PKCS11_FUNCTION_INFO(name) functions.name = (CK_##name)(void (*)(void))not_supported;
#include "pkcs11f.h"
#undef CK_PKCS11_FUNCTION_INFO
    /* …then the ones this token implements. */
    functions.version.major = 2;
    functions.version.minor = 40;
    functions.C_Initialize = test_Initialize;
    functions.C_Finalize = test_Finalize;
    functions.C_GetInfo = test_GetInfo;
    functions.C_GetFunctionList = C_GetFunctionList;
    functions.C_GetSlotList = test_GetSlotList;
    functions.C_GetSlotInfo = test_GetSlotInfo;
    functions.C_GetTokenInfo = test_GetTokenInfo;
    functions.C_GetMechanismList = test_GetMechanismList;
    functions.C_OpenSession = test_OpenSession;
    functions.C_CloseSession = test_CloseSession;
    functions.C_CloseAllSessions = test_CloseAllSessions;
    functions.C_GetSessionInfo = test_GetSessionInfo;
    functions.C_FindObjectsInit = test_FindObjectsInit;
    functions.C_FindObjects = test_FindObjects;
    functions.C_FindObjectsFinal = test_FindObjectsFinal;
    functions.C_GetAttributeValue = test_GetAttributeValue;
  }
  *list = &functions;
  return CKR_OK;
}
