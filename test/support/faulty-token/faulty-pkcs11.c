/*
 * A PKCS#11 module that forwards every call to a real one (SoftHSM2 in the tests) and can be told,
 * through a control file, to behave like a token pulled out of the USB port or like a broken device
 * at a chosen moment, also in the middle of an operation (what cannot be done to SoftHSM2 by moving
 * its files: once logged in it keeps signing from memory), or like a reader with a PIN pad (there is
 * no keypad here: the "typed" PIN comes from the control file). Test support only, never shipped.
 *
 *   FAULTY_PKCS11_TARGET   the real module (e.g. /usr/lib/softhsm/libsofthsm2.so)
 *   FAULTY_PKCS11_CONTROL  a file holding one word, re-read on the calls below:
 *       ok | (missing)     pass everything through
 *       pull-after N       the token leaves after N more successful C_Sign calls
 *       break-after N      the device breaks down after N more successful C_Sign calls
 *       pulled             the token is out: no token in the slot list, CKR_DEVICE_REMOVED /
 *                          CKR_TOKEN_NOT_PRESENT for work on it; the sessions opened on it before end
 *                          (C_GetSessionInfo: CKR_SESSION_HANDLE_INVALID, also once it is back)
 *       broken             the device answers CKR_DEVICE_ERROR to work on it
 *       pinpad PIN         the token reports CKF_PROTECTED_AUTHENTICATION_PATH and a login without
 *                          a PIN (NULL or empty) is a login with PIN, "typed on the keypad"
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11.h" /* the one pkcs11js ships (node_modules/pkcs11js/includes/pkcs11) */

enum state { PASS, COUNTING, PULLED, BROKEN, PINPAD };

static CK_FUNCTION_LIST faulty;
static CK_FUNCTION_LIST_PTR real;
static void *library;
static char last_control[64];
static long signatures_left;
static char keypad_pin[64];
/* Sessions end when their token leaves: each pull starts a new generation, and a session opened in an
   earlier one is no longer valid (C_GetSessionInfo), as a real driver says once the token is back. */
static unsigned long generation;
static int was_pulled;
#define KEPT_SESSIONS 256
static struct { CK_SESSION_HANDLE handle; unsigned long generation; } opened[KEPT_SESSIONS];
static unsigned next_opened;

/* The control file's state now; a changed `…-after N` restarts its count. */
static enum state current_state(void) {
  const char *path = getenv("FAULTY_PKCS11_CONTROL");
  char text[64] = "";
  if (path) {
    FILE *file = fopen(path, "r");
    if (file) {
      size_t length = fread(text, 1, sizeof text - 1, file);
      text[length] = '\0';
      fclose(file);
    }
  }
  if (strcmp(text, last_control) != 0) {
    strcpy(last_control, text);
    if (strncmp(text, "pull-after ", 11) == 0 || strncmp(text, "break-after ", 12) == 0) signatures_left = atol(strchr(text, ' ') + 1);
    if (strncmp(text, "pinpad ", 7) == 0) {
      snprintf(keypad_pin, sizeof keypad_pin, "%s", text + 7);
      keypad_pin[strcspn(keypad_pin, "\r\n")] = '\0';
    }
  }
  enum state state = PASS;
  if (strncmp(text, "pinpad ", 7) == 0) state = PINPAD;
  else if (strncmp(text, "pulled", 6) == 0) state = PULLED;
  else if (strncmp(text, "broken", 6) == 0) state = BROKEN;
  else if (strncmp(text, "pull-after ", 11) == 0) state = signatures_left > 0 ? COUNTING : PULLED;
  else if (strncmp(text, "break-after ", 12) == 0) state = signatures_left > 0 ? COUNTING : BROKEN;
  if (state == PULLED && !was_pulled) generation++;
  was_pulled = state == PULLED;
  return state;
}

static CK_RV fault(CK_RV gone) {
  switch (current_state()) {
    case PULLED: return gone;
    case BROKEN: return CKR_DEVICE_ERROR;
    default: return CKR_OK;
  }
}

static CK_RV faulty_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count) {
  if (present && current_state() == PULLED) {
    *count = 0; /* no token in any slot */
    return CKR_OK;
  }
  return real->C_GetSlotList(present, slots, count);
}

static CK_RV faulty_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_RV rv = fault(CKR_TOKEN_NOT_PRESENT);
  if (rv != CKR_OK) return rv;
  rv = real->C_GetTokenInfo(slot, info);
  if (rv == CKR_OK && current_state() == PINPAD) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return rv;
}

static CK_RV faulty_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR application, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR session) {
  CK_RV rv = fault(CKR_TOKEN_NOT_PRESENT);
  if (rv != CKR_OK) return rv;
  rv = real->C_OpenSession(slot, flags, application, notify, session);
  if (rv == CKR_OK) {
    opened[next_opened % KEPT_SESSIONS].handle = *session;
    opened[next_opened % KEPT_SESSIONS].generation = generation;
    next_opened++;
  }
  return rv;
}

static CK_RV faulty_GetSessionInfo(CK_SESSION_HANDLE session, CK_SESSION_INFO_PTR info) {
  CK_RV rv = fault(CKR_SESSION_HANDLE_INVALID);
  if (rv != CKR_OK) return rv;
  for (unsigned i = 0; i < KEPT_SESSIONS && i < next_opened; i++) {
    unsigned at = (next_opened - 1 - i) % KEPT_SESSIONS; /* the newest opening of this handle */
    if (opened[at].handle == session) {
      if (opened[at].generation != generation) return CKR_SESSION_HANDLE_INVALID;
      break;
    }
  }
  return real->C_GetSessionInfo(session, info);
}

static CK_RV faulty_Login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG length) {
  CK_RV rv = fault(CKR_DEVICE_REMOVED);
  if (rv != CKR_OK) return rv;
  if (current_state() == PINPAD && (pin == NULL_PTR || length == 0)) {
    return real->C_Login(session, user, (CK_UTF8CHAR_PTR)keypad_pin, strlen(keypad_pin)); /* "typed on the keypad" */
  }
  return real->C_Login(session, user, pin, length);
}

static CK_RV faulty_SignInit(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key) {
  CK_RV rv = fault(CKR_DEVICE_REMOVED);
  return rv != CKR_OK ? rv : real->C_SignInit(session, mechanism, key);
}

static CK_RV faulty_Sign(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG length, CK_BYTE_PTR signature, CK_ULONG_PTR signature_length) {
  CK_RV rv = fault(CKR_DEVICE_REMOVED);
  if (rv != CKR_OK) return rv;
  rv = real->C_Sign(session, data, length, signature, signature_length);
  if (rv == CKR_OK && signature != NULL_PTR && current_state() == COUNTING) signatures_left--;
  return rv;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetFunctionList)(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!real) {
    const char *target = getenv("FAULTY_PKCS11_TARGET");
    if (!target || !(library = dlopen(target, RTLD_NOW | RTLD_LOCAL))) return CKR_GENERAL_ERROR;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(library, "C_GetFunctionList");
    if (!get || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
    faulty = *real;
    faulty.C_GetSlotList = faulty_GetSlotList;
    faulty.C_GetTokenInfo = faulty_GetTokenInfo;
    faulty.C_OpenSession = faulty_OpenSession;
    faulty.C_GetSessionInfo = faulty_GetSessionInfo;
    faulty.C_Login = faulty_Login;
    faulty.C_SignInit = faulty_SignInit;
    faulty.C_Sign = faulty_Sign;
  }
  *list = &faulty;
  return CKR_OK;
}
