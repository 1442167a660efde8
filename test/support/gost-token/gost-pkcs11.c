/*
 * A GOST R 34.10-2012 token for the tests: a small PKCS#11 module over OpenSSL's gost engine
 * (libengine-gost-openssl), because SoftHSM2 from Debian has no GOST mechanisms. Test support only,
 * never shipped. One slot, one token, one user PIN; objects persist in a directory, so keys generated
 * and certificates imported by one process are there for the next.
 *
 *   GOST_PKCS11_DIR     the token's store (required). Each object is N.attrs (lines key=value: class
 *                       cert|priv|pub, id (hex), label, file (a PEM private key for priv/pub, a DER
 *                       certificate for cert), category); the tests add objects by writing such files.
 *   GOST_PKCS11_ENGINE  gost.so (default: Debian's /usr/lib/x86_64-linux-gnu/engines-3/gost.so). Loaded by
 *                       path through the "dynamic" engine: inside Node this module binds to Node's own
 *                       libcrypto, which does not know where Debian keeps its engines.
 *   GOST_PKCS11_PIN     the user PIN (default 1234); GOST_PKCS11_LABEL / GOST_PKCS11_SERIAL the token's.
 *
 * Mechanisms: CKM_GOSTR3410 (0x1201) signs a 32-byte digest with a 256-bit key, CKM_GOSTR3410_512
 * (0xD4321006) a 64-byte digest with a 512-bit key; the output is s||r, each big-endian (what the gost
 * engine's EVP_PKEY_sign gives and what Rutoken returns). CKM_GOSTR3410_KEY_PAIR_GEN (0x1200) /
 * CKM_GOSTR3410_512_KEY_PAIR_GEN (0xD4321005) with CKA_GOSTR3410_PARAMS (or JaCarta's
 * CKA_GOSTR3410_512PARAMS 0xD4321004) holding the DER OID of the parameter set. CKA_VALUE of a public
 * key is X||Y, each little-endian, as in the certificate. Private keys: CKK_GOSTR3410 (0x30) for
 * 256-bit (and GOST 2001) keys, CKK_GOSTR3410_512 (0xD4321003) for 512-bit ones.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* the ENGINE API: the gost engine is an engine */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pkcs11.h" /* the one pkcs11js ships (node_modules/pkcs11js/includes/pkcs11) */

/* TC26 vendor range (OpenSC src/pkcs11/pkcs11.h, Aktiv's Pkcs11Tc26Constants) */
#define TC26_BASE 0xD4321000UL
#define CKK_GOSTR3410_512 (TC26_BASE + 0x003)
#define CKA_GOSTR3410_512PARAMS (TC26_BASE + 0x004)
#define CKM_GOSTR3410_512_KEY_PAIR_GEN (TC26_BASE + 0x005)
#define CKM_GOSTR3410_512 (TC26_BASE + 0x006)

#define SLOT_ID 1
#define MAX_SESSIONS 32
#define MAX_FOUND 256
#define MAX_TEXT 256

struct object {
  CK_OBJECT_HANDLE handle;
  char class_name[8]; /* cert | priv | pub */
  char id[MAX_TEXT];  /* hex */
  char label[MAX_TEXT];
  char file[MAX_TEXT];
  long category;
};

struct session {
  int open;
  CK_FLAGS flags;
  CK_OBJECT_HANDLE found[MAX_FOUND];
  CK_ULONG found_count, found_next;
  int finding;
  CK_OBJECT_HANDLE sign_key;
  CK_MECHANISM_TYPE sign_mechanism;
  int signing;
};

static CK_FUNCTION_LIST functions;
static int initialized;
static int logged_in;
static struct session sessions[MAX_SESSIONS + 1]; /* handles 1..MAX_SESSIONS */
static ENGINE *gost;

/* --- the store ---------------------------------------------------------------------------------- */

static const char *store(void) { return getenv("GOST_PKCS11_DIR"); }

static void store_path(char *out, size_t size, const char *name) { snprintf(out, size, "%s/%s", store(), name); }

static int read_object(CK_OBJECT_HANDLE handle, struct object *object) {
  char path[1024], line[1024], name[64];
  snprintf(name, sizeof name, "%lu.attrs", (unsigned long)handle);
  store_path(path, sizeof path, name);
  FILE *file = fopen(path, "r");
  if (!file) return 0;
  memset(object, 0, sizeof *object);
  object->handle = handle;
  object->category = 0;
  while (fgets(line, sizeof line, file)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *equals = strchr(line, '=');
    if (!equals) continue;
    *equals = '\0';
    const char *value = equals + 1;
    if (strcmp(line, "class") == 0) snprintf(object->class_name, sizeof object->class_name, "%s", value);
    else if (strcmp(line, "id") == 0) snprintf(object->id, sizeof object->id, "%s", value);
    else if (strcmp(line, "label") == 0) snprintf(object->label, sizeof object->label, "%s", value);
    else if (strcmp(line, "file") == 0) snprintf(object->file, sizeof object->file, "%s", value);
    else if (strcmp(line, "category") == 0) object->category = atol(value);
  }
  fclose(file);
  return object->class_name[0] != '\0';
}

static int write_object(const struct object *object) {
  char path[1024], name[64];
  snprintf(name, sizeof name, "%lu.attrs", (unsigned long)object->handle);
  store_path(path, sizeof path, name);
  FILE *file = fopen(path, "w");
  if (!file) return 0;
  fprintf(file, "class=%s\nid=%s\nlabel=%s\nfile=%s\ncategory=%ld\n", object->class_name, object->id, object->label, object->file, object->category);
  return fclose(file) == 0;
}

/* The handles in the store, ascending. */
static CK_ULONG list_handles(CK_OBJECT_HANDLE *handles, CK_ULONG max) {
  CK_ULONG count = 0;
  DIR *dir = opendir(store());
  if (!dir) return 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) && count < max) {
    char *end;
    unsigned long handle = strtoul(entry->d_name, &end, 10);
    if (handle > 0 && strcmp(end, ".attrs") == 0) handles[count++] = handle;
  }
  closedir(dir);
  for (CK_ULONG i = 1; i < count; i++) /* insertion sort: a handful of objects */
    for (CK_ULONG j = i; j > 0 && handles[j - 1] > handles[j]; j--) {
      CK_OBJECT_HANDLE t = handles[j];
      handles[j] = handles[j - 1];
      handles[j - 1] = t;
    }
  return count;
}

static CK_OBJECT_HANDLE next_handle(void) {
  CK_OBJECT_HANDLE handles[MAX_FOUND];
  CK_ULONG count = list_handles(handles, MAX_FOUND);
  return count ? handles[count - 1] + 1 : 1;
}

static unsigned char *read_file(const char *name, long *length) {
  char path[1024];
  store_path(path, sizeof path, name);
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  fseek(file, 0, SEEK_END);
  *length = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *bytes = malloc(*length > 0 ? *length : 1);
  if (fread(bytes, 1, *length, file) != (size_t)*length) {
    free(bytes);
    bytes = NULL;
  }
  fclose(file);
  return bytes;
}

static int write_file(const char *name, const void *bytes, size_t length) {
  char path[1024];
  store_path(path, sizeof path, name);
  FILE *file = fopen(path, "wb");
  if (!file) return 0;
  size_t written = fwrite(bytes, 1, length, file);
  return fclose(file) == 0 && written == length;
}

static EVP_PKEY *load_key(const struct object *object) {
  char path[1024];
  store_path(path, sizeof path, object->file);
  FILE *file = fopen(path, "r");
  if (!file) return NULL;
  EVP_PKEY *key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
  fclose(file);
  return key;
}

static int hex_to_bytes(const char *hex, unsigned char *out, size_t max) {
  size_t length = strlen(hex) / 2;
  if (length > max) return -1;
  for (size_t i = 0; i < length; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return -1;
    out[i] = (unsigned char)byte;
  }
  return (int)length;
}

static void bytes_to_hex(const unsigned char *bytes, size_t length, char *out, size_t max) {
  out[0] = '\0';
  for (size_t i = 0; i < length && 2 * i + 2 < max; i++) sprintf(out + 2 * i, "%02x", bytes[i]);
}

/* --- GOST key facts ----------------------------------------------------------------------------- */

struct key_facts {
  int bits;                     /* 256 | 512 */
  unsigned char point[128];     /* X||Y, little-endian each: the OCTET STRING in the certificate */
  int point_length;
  unsigned char params[32];     /* DER OID of the GOST R 34.10 parameter set */
  int params_length;
  unsigned char digest[32];     /* DER OID of the GOST R 34.11 parameters (the hash) */
  int digest_length;
};

static const unsigned char STREEBOG_256[] = {0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x02, 0x02};
static const unsigned char STREEBOG_512[] = {0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x02, 0x03};

/* Reads one DER TLV at p (short or long length); returns its full length or 0. */
static int tlv_length(const unsigned char *p, int available) {
  if (available < 2) return 0;
  int header = 2, length = p[1];
  if (length & 0x80) {
    int octets = length & 0x7f;
    if (octets < 1 || octets > 2 || available < 2 + octets) return 0;
    length = 0;
    for (int i = 0; i < octets; i++) length = (length << 8) | p[2 + i];
    header += octets;
  }
  return header + length <= available ? header + length : 0;
}

static int header_length(const unsigned char *p) { return (p[1] & 0x80) ? 2 + (p[1] & 0x7f) : 2; }

static int key_facts_of(EVP_PKEY *key, struct key_facts *facts) {
  memset(facts, 0, sizeof *facts);
  int id = EVP_PKEY_base_id(key);
  if (id == NID_id_GostR3410_2012_512) facts->bits = 512;
  else if (id == NID_id_GostR3410_2012_256 || id == NID_id_GostR3410_2001) facts->bits = 256;
  else return 0;
  X509_PUBKEY *pub = NULL;
  if (!X509_PUBKEY_set(&pub, key)) return 0;
  const unsigned char *bits;
  int bits_length;
  X509_ALGOR *algorithm;
  int ok = 0;
  if (X509_PUBKEY_get0_param(NULL, &bits, &bits_length, &algorithm, pub)) {
    /* the key bits: OCTET STRING { X||Y } */
    int whole = tlv_length(bits, bits_length);
    if (whole && bits[0] == 0x04) {
      int header = header_length(bits);
      facts->point_length = whole - header;
      if (facts->point_length <= (int)sizeof facts->point) memcpy(facts->point, bits + header, facts->point_length);
    }
    /* the parameters: SEQUENCE { paramset OID, [digest OID] } */
    int type;
    const void *value;
    X509_ALGOR_get0(NULL, &type, &value, algorithm);
    if (type == V_ASN1_SEQUENCE) {
      const ASN1_STRING *sequence = value;
      const unsigned char *p = ASN1_STRING_get0_data(sequence);
      int length = ASN1_STRING_length(sequence);
      int at = header_length(p);
      int first = tlv_length(p + at, length - at);
      if (first && p[at] == 0x06 && first <= (int)sizeof facts->params) {
        memcpy(facts->params, p + at, first);
        facts->params_length = first;
        at += first;
        int second = at < length ? tlv_length(p + at, length - at) : 0;
        if (second && p[at] == 0x06 && second <= (int)sizeof facts->digest) {
          memcpy(facts->digest, p + at, second);
          facts->digest_length = second;
        }
      }
    }
    if (facts->digest_length == 0) {
      const unsigned char *oid = facts->bits == 512 ? STREEBOG_512 : STREEBOG_256;
      memcpy(facts->digest, oid, sizeof STREEBOG_256);
      facts->digest_length = sizeof STREEBOG_256;
    }
    ok = facts->point_length > 0 && facts->params_length > 0;
  }
  X509_PUBKEY_free(pub);
  return ok;
}

/* --- attributes --------------------------------------------------------------------------------- */

static CK_OBJECT_CLASS class_of(const struct object *object) {
  if (strcmp(object->class_name, "cert") == 0) return CKO_CERTIFICATE;
  if (strcmp(object->class_name, "priv") == 0) return CKO_PRIVATE_KEY;
  return CKO_PUBLIC_KEY;
}

/* Puts one attribute's value; CKR_ATTRIBUTE_TYPE_INVALID when the object has no such attribute. */
static CK_RV attribute_of(const struct object *object, CK_ATTRIBUTE_TYPE type, unsigned char *out, CK_ULONG *length) {
  static unsigned char buffer[16384];
  CK_ULONG ulong_value;
  CK_BBOOL bool_value;
  const void *value = NULL;
  CK_ULONG size = 0;
  CK_OBJECT_CLASS object_class = class_of(object);
  int is_key = object_class != CKO_CERTIFICATE;

  switch (type) {
    case CKA_CLASS: ulong_value = object_class; value = &ulong_value; size = sizeof ulong_value; break;
    case CKA_TOKEN: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
    case CKA_PRIVATE: bool_value = object_class == CKO_PRIVATE_KEY; value = &bool_value; size = 1; break;
    case CKA_MODIFIABLE: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
    case CKA_LABEL: value = object->label; size = strlen(object->label); break;
    case CKA_ID: {
      int bytes = hex_to_bytes(object->id, buffer, sizeof buffer);
      if (bytes < 0) return CKR_GENERAL_ERROR;
      value = buffer; size = bytes; break;
    }
    default: break;
  }

  if (!value && object_class == CKO_CERTIFICATE) {
    long der_length;
    unsigned char *der = read_file(object->file, &der_length);
    if (!der) return CKR_GENERAL_ERROR;
    const unsigned char *p = der;
    X509 *certificate = d2i_X509(NULL, &p, der_length);
    unsigned char *q = buffer;
    switch (type) {
      case CKA_CERTIFICATE_TYPE: ulong_value = CKC_X_509; value = &ulong_value; size = sizeof ulong_value; break;
      case CKA_CERTIFICATE_CATEGORY: ulong_value = object->category; value = &ulong_value; size = sizeof ulong_value; break;
      case CKA_TRUSTED: bool_value = CK_FALSE; value = &bool_value; size = 1; break;
      case CKA_VALUE:
        if ((size_t)der_length > sizeof buffer) break;
        memcpy(buffer, der, der_length); value = buffer; size = der_length; break;
      case CKA_SUBJECT:
        if (certificate && i2d_X509_NAME(X509_get_subject_name(certificate), NULL) <= (int)sizeof buffer) { size = i2d_X509_NAME(X509_get_subject_name(certificate), &q); value = buffer; }
        break;
      case CKA_ISSUER:
        if (certificate && i2d_X509_NAME(X509_get_issuer_name(certificate), NULL) <= (int)sizeof buffer) { size = i2d_X509_NAME(X509_get_issuer_name(certificate), &q); value = buffer; }
        break;
      case CKA_SERIAL_NUMBER:
        if (certificate) { size = i2d_ASN1_INTEGER(X509_get_serialNumber(certificate), &q); value = buffer; }
        break;
      default: break;
    }
    X509_free(certificate);
    free(der);
  } else if (!value && is_key) {
    EVP_PKEY *key = load_key(object);
    struct key_facts facts;
    if (!key || !key_facts_of(key, &facts)) {
      EVP_PKEY_free(key);
      return CKR_GENERAL_ERROR;
    }
    EVP_PKEY_free(key);
    switch (type) {
      case CKA_KEY_TYPE: ulong_value = facts.bits == 512 ? CKK_GOSTR3410_512 : CKK_GOSTR3410; value = &ulong_value; size = sizeof ulong_value; break;
      case CKA_GOSTR3410_PARAMS: memcpy(buffer, facts.params, facts.params_length); value = buffer; size = facts.params_length; break;
      case CKA_GOSTR3411_PARAMS: memcpy(buffer, facts.digest, facts.digest_length); value = buffer; size = facts.digest_length; break;
      case CKA_LOCAL: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
      case CKA_DERIVE: case CKA_ENCRYPT: case CKA_WRAP: case CKA_UNWRAP: case CKA_SIGN_RECOVER: case CKA_VERIFY_RECOVER:
        bool_value = CK_FALSE; value = &bool_value; size = 1; break;
      default:
        if (object_class == CKO_PRIVATE_KEY) {
          switch (type) {
            case CKA_SIGN: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
            case CKA_SENSITIVE: case CKA_ALWAYS_SENSITIVE: case CKA_NEVER_EXTRACTABLE: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
            case CKA_EXTRACTABLE: case CKA_ALWAYS_AUTHENTICATE: case CKA_DECRYPT: bool_value = CK_FALSE; value = &bool_value; size = 1; break;
            case CKA_VALUE: return CKR_ATTRIBUTE_SENSITIVE;
            default: break;
          }
        } else {
          switch (type) {
            case CKA_VERIFY: bool_value = CK_TRUE; value = &bool_value; size = 1; break;
            case CKA_VALUE: memcpy(buffer, facts.point, facts.point_length); value = buffer; size = facts.point_length; break;
            default: break;
          }
        }
    }
  }

  if (!value) return CKR_ATTRIBUTE_TYPE_INVALID;
  if (out) {
    if (*length < size) {
      *length = size;
      return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(out, value, size);
  }
  *length = size;
  return CKR_OK;
}

static int visible(const struct object *object) { return logged_in || class_of(object) != CKO_PRIVATE_KEY; }

static int matches(const struct object *object, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  static unsigned char value[16384];
  for (CK_ULONG i = 0; i < count; i++) {
    CK_ULONG length = sizeof value;
    if (attribute_of(object, template[i].type, value, &length) != CKR_OK) return 0;
    if (length != template[i].ulValueLen) {
      /* CK_BBOOL vs CK_ULONG-sized booleans, CK_ULONG of another width: compare as numbers */
      if (template[i].ulValueLen == sizeof(CK_ULONG) && length == 1) {
        if (*(CK_ULONG *)template[i].pValue != value[0]) return 0;
        continue;
      }
      return 0;
    }
    if (memcmp(value, template[i].pValue, length) != 0) return 0;
  }
  return 1;
}

static const CK_ATTRIBUTE *find_attribute(CK_ATTRIBUTE_PTR template, CK_ULONG count, CK_ATTRIBUTE_TYPE type) {
  for (CK_ULONG i = 0; i < count; i++)
    if (template && template[i].type == type) return &template[i];
  return NULL;
}

static void text_attribute(CK_ATTRIBUTE_PTR template, CK_ULONG count, CK_ATTRIBUTE_TYPE type, char *out, size_t max) {
  const CK_ATTRIBUTE *attribute = find_attribute(template, count, type);
  if (!attribute) return;
  if (type == CKA_ID) {
    bytes_to_hex(attribute->pValue, attribute->ulValueLen, out, max);
  } else {
    size_t length = attribute->ulValueLen < max - 1 ? attribute->ulValueLen : max - 1;
    memcpy(out, attribute->pValue, length);
    out[length] = '\0';
    for (size_t i = 0; i < length; i++)
      if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  }
}

/* --- sessions ----------------------------------------------------------------------------------- */

static struct session *session_of(CK_SESSION_HANDLE handle) {
  if (handle < 1 || handle > MAX_SESSIONS || !sessions[handle].open) return NULL;
  return &sessions[handle];
}

#define CHECK_INITIALIZED() \
  if (!initialized) return CKR_CRYPTOKI_NOT_INITIALIZED
#define SESSION(name)                                  \
  CHECK_INITIALIZED();                                 \
  struct session *name = session_of(session_handle);   \
  if (!name) return CKR_SESSION_HANDLE_INVALID

static void pad(CK_UTF8CHAR *out, size_t size, const char *text) {
  memset(out, ' ', size);
  size_t length = strlen(text);
  memcpy(out, text, length < size ? length : size);
}

static const char *setting(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value && *value ? value : fallback;
}

static CK_RV gost_Initialize(CK_VOID_PTR args) {
  (void)args;
  if (initialized) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
  if (!store()) return CKR_GENERAL_ERROR;
  if (!gost) {
    /* Loaded before in this process (the module unloaded and loaded again): it is in the engine list. */
    ENGINE *engine = ENGINE_by_id("gost");
    if (!engine) {
      ERR_clear_error();
      ENGINE_load_dynamic();
      engine = ENGINE_by_id("dynamic");
      if (!engine) return CKR_GENERAL_ERROR;
      if (!ENGINE_ctrl_cmd_string(engine, "SO_PATH", setting("GOST_PKCS11_ENGINE", "/usr/lib/x86_64-linux-gnu/engines-3/gost.so"), 0) ||
          !ENGINE_ctrl_cmd_string(engine, "ID", "gost", 0) || !ENGINE_ctrl_cmd_string(engine, "LIST_ADD", "1", 0) ||
          !ENGINE_ctrl_cmd_string(engine, "LOAD", NULL, 0)) {
        ENGINE_free(engine);
        return CKR_GENERAL_ERROR;
      }
    }
    if (!ENGINE_init(engine)) {
      ENGINE_free(engine);
      return CKR_GENERAL_ERROR;
    }
    ENGINE_set_default(engine, ENGINE_METHOD_ALL); /* the GOST key formats for PEM_read_PrivateKey */
    gost = engine;
  }
  memset(sessions, 0, sizeof sessions);
  logged_in = 0;
  initialized = 1;
  return CKR_OK;
}

static CK_RV gost_Finalize(CK_VOID_PTR reserved) {
  (void)reserved;
  CHECK_INITIALIZED();
  initialized = 0;
  logged_in = 0;
  return CKR_OK; /* the engine stays loaded: a later C_Initialize reuses it */
}

static CK_RV gost_GetInfo(CK_INFO_PTR info) {
  CHECK_INITIALIZED();
  memset(info, 0, sizeof *info);
  info->cryptokiVersion.major = 2;
  info->cryptokiVersion.minor = 40;
  pad(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  pad(info->libraryDescription, sizeof info->libraryDescription, "GOST test token");
  info->libraryVersion.major = 1;
  return CKR_OK;
}

static CK_RV gost_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count) {
  (void)present;
  CHECK_INITIALIZED();
  if (slots) {
    if (*count < 1) {
      *count = 1;
      return CKR_BUFFER_TOO_SMALL;
    }
    slots[0] = SLOT_ID;
  }
  *count = 1;
  return CKR_OK;
}

static CK_RV gost_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(info, 0, sizeof *info);
  pad(info->slotDescription, sizeof info->slotDescription, "GOST test slot");
  pad(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  info->flags = CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE;
  return CKR_OK;
}

static CK_RV gost_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(info, 0, sizeof *info);
  pad(info->label, sizeof info->label, setting("GOST_PKCS11_LABEL", "GOST test token"));
  pad(info->manufacturerID, sizeof info->manufacturerID, "CAS Token tests");
  pad(info->model, sizeof info->model, "GOST engine");
  pad(info->serialNumber, sizeof info->serialNumber, setting("GOST_PKCS11_SERIAL", "GOST0001"));
  info->flags = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED;
  info->ulMaxSessionCount = MAX_SESSIONS;
  info->ulMaxRwSessionCount = MAX_SESSIONS;
  info->ulMaxPinLen = 64;
  info->ulMinPinLen = 4;
  info->ulTotalPublicMemory = info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
  info->ulTotalPrivateMemory = info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
  return CKR_OK;
}

static const CK_MECHANISM_TYPE MECHANISMS[] = {CKM_GOSTR3410_KEY_PAIR_GEN, CKM_GOSTR3410, CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_512};

static CK_RV gost_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count) {
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  CK_ULONG total = sizeof MECHANISMS / sizeof MECHANISMS[0];
  if (list) {
    if (*count < total) {
      *count = total;
      return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(list, MECHANISMS, sizeof MECHANISMS);
  }
  *count = total;
  return CKR_OK;
}

static CK_RV gost_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info) {
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(info, 0, sizeof *info);
  int big = type == CKM_GOSTR3410_512 || type == CKM_GOSTR3410_512_KEY_PAIR_GEN;
  info->ulMinKeySize = info->ulMaxKeySize = big ? 512 : 256;
  if (type == CKM_GOSTR3410 || type == CKM_GOSTR3410_512) info->flags = CKF_HW | CKF_SIGN;
  else if (type == CKM_GOSTR3410_KEY_PAIR_GEN || type == CKM_GOSTR3410_512_KEY_PAIR_GEN) info->flags = CKF_HW | CKF_GENERATE_KEY_PAIR;
  else return CKR_MECHANISM_INVALID;
  return CKR_OK;
}

static CK_RV gost_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR application, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR handle) {
  (void)application;
  (void)notify;
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  if (!(flags & CKF_SERIAL_SESSION)) return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
  for (CK_SESSION_HANDLE i = 1; i <= MAX_SESSIONS; i++) {
    if (!sessions[i].open) {
      memset(&sessions[i], 0, sizeof sessions[i]);
      sessions[i].open = 1;
      sessions[i].flags = flags;
      *handle = i;
      return CKR_OK;
    }
  }
  return CKR_SESSION_COUNT;
}

static int open_sessions(void) {
  int count = 0;
  for (int i = 1; i <= MAX_SESSIONS; i++) count += sessions[i].open;
  return count;
}

static CK_RV gost_CloseSession(CK_SESSION_HANDLE session_handle) {
  SESSION(session);
  session->open = 0;
  if (open_sessions() == 0) logged_in = 0; /* the login ends with the last session */
  return CKR_OK;
}

static CK_RV gost_CloseAllSessions(CK_SLOT_ID slot) {
  CHECK_INITIALIZED();
  if (slot != SLOT_ID) return CKR_SLOT_ID_INVALID;
  memset(sessions, 0, sizeof sessions);
  logged_in = 0;
  return CKR_OK;
}

static CK_RV gost_GetSessionInfo(CK_SESSION_HANDLE session_handle, CK_SESSION_INFO_PTR info) {
  SESSION(session);
  int rw = (session->flags & CKF_RW_SESSION) != 0;
  info->slotID = SLOT_ID;
  info->flags = session->flags;
  info->state = logged_in ? (rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS) : (rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION);
  info->ulDeviceError = 0;
  return CKR_OK;
}

static CK_RV gost_Login(CK_SESSION_HANDLE session_handle, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG length) {
  SESSION(session);
  (void)session;
  if (user != CKU_USER && user != CKU_CONTEXT_SPECIFIC) return CKR_USER_TYPE_INVALID;
  if (logged_in && user == CKU_USER) return CKR_USER_ALREADY_LOGGED_IN;
  const char *expected = setting("GOST_PKCS11_PIN", "1234");
  if (!pin || length != strlen(expected) || memcmp(pin, expected, length) != 0) return CKR_PIN_INCORRECT;
  logged_in = 1;
  return CKR_OK;
}

static CK_RV gost_Logout(CK_SESSION_HANDLE session_handle) {
  SESSION(session);
  (void)session;
  if (!logged_in) return CKR_USER_NOT_LOGGED_IN;
  logged_in = 0;
  return CKR_OK;
}

static CK_RV gost_GetAttributeValue(CK_SESSION_HANDLE session_handle, CK_OBJECT_HANDLE handle, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  SESSION(session);
  (void)session;
  struct object object;
  if (!read_object(handle, &object) || !visible(&object)) return CKR_OBJECT_HANDLE_INVALID;
  CK_RV result = CKR_OK;
  for (CK_ULONG i = 0; i < count; i++) {
    CK_ULONG length = template[i].ulValueLen;
    CK_RV rv = attribute_of(&object, template[i].type, template[i].pValue, &length);
    if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) {
      template[i].ulValueLen = rv == CKR_OK ? length : CK_UNAVAILABLE_INFORMATION;
      if (rv == CKR_BUFFER_TOO_SMALL) result = rv;
    } else if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE) {
      template[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
      if (result == CKR_OK) result = rv;
    } else {
      return rv;
    }
  }
  return result;
}

static CK_RV gost_SetAttributeValue(CK_SESSION_HANDLE session_handle, CK_OBJECT_HANDLE handle, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  SESSION(session);
  if (!(session->flags & CKF_RW_SESSION)) return CKR_SESSION_READ_ONLY;
  struct object object;
  if (!read_object(handle, &object) || !visible(&object)) return CKR_OBJECT_HANDLE_INVALID;
  for (CK_ULONG i = 0; i < count; i++)
    if (template[i].type != CKA_ID && template[i].type != CKA_LABEL) return CKR_ATTRIBUTE_READ_ONLY;
  text_attribute(template, count, CKA_ID, object.id, sizeof object.id);
  text_attribute(template, count, CKA_LABEL, object.label, sizeof object.label);
  return write_object(&object) ? CKR_OK : CKR_DEVICE_ERROR;
}

/* Certificate import: a CKO_CERTIFICATE of type X.509 with CKA_VALUE (other attributes are read from it). */
static CK_RV gost_CreateObject(CK_SESSION_HANDLE session_handle, CK_ATTRIBUTE_PTR template, CK_ULONG count, CK_OBJECT_HANDLE_PTR handle) {
  SESSION(session);
  if (!(session->flags & CKF_RW_SESSION)) return CKR_SESSION_READ_ONLY;
  if (!logged_in) return CKR_USER_NOT_LOGGED_IN;
  const CK_ATTRIBUTE *object_class = find_attribute(template, count, CKA_CLASS);
  const CK_ATTRIBUTE *value = find_attribute(template, count, CKA_VALUE);
  if (!object_class || *(CK_OBJECT_CLASS *)object_class->pValue != CKO_CERTIFICATE) return CKR_TEMPLATE_INCONSISTENT;
  if (!value) return CKR_TEMPLATE_INCOMPLETE;
  const unsigned char *p = value->pValue;
  X509 *certificate = d2i_X509(NULL, &p, value->ulValueLen);
  if (!certificate) return CKR_ATTRIBUTE_VALUE_INVALID;
  X509_free(certificate);
  struct object object;
  memset(&object, 0, sizeof object);
  object.handle = next_handle();
  strcpy(object.class_name, "cert");
  snprintf(object.file, sizeof object.file, "%lu.der", (unsigned long)object.handle);
  text_attribute(template, count, CKA_ID, object.id, sizeof object.id);
  text_attribute(template, count, CKA_LABEL, object.label, sizeof object.label);
  const CK_ATTRIBUTE *category = find_attribute(template, count, CKA_CERTIFICATE_CATEGORY);
  if (category && category->ulValueLen == sizeof(CK_ULONG)) object.category = (long)*(CK_ULONG *)category->pValue;
  if (!write_file(object.file, value->pValue, value->ulValueLen) || !write_object(&object)) return CKR_DEVICE_ERROR;
  *handle = object.handle;
  return CKR_OK;
}

static CK_RV gost_DestroyObject(CK_SESSION_HANDLE session_handle, CK_OBJECT_HANDLE handle) {
  SESSION(session);
  if (!(session->flags & CKF_RW_SESSION)) return CKR_SESSION_READ_ONLY;
  struct object object;
  if (!read_object(handle, &object) || !visible(&object)) return CKR_OBJECT_HANDLE_INVALID;
  char path[1024], name[64];
  snprintf(name, sizeof name, "%lu.attrs", (unsigned long)handle);
  store_path(path, sizeof path, name);
  return remove(path) == 0 ? CKR_OK : CKR_DEVICE_ERROR;
}

static CK_RV gost_FindObjectsInit(CK_SESSION_HANDLE session_handle, CK_ATTRIBUTE_PTR template, CK_ULONG count) {
  SESSION(session);
  if (session->finding) return CKR_OPERATION_ACTIVE;
  CK_OBJECT_HANDLE handles[MAX_FOUND];
  CK_ULONG total = list_handles(handles, MAX_FOUND);
  session->found_count = session->found_next = 0;
  for (CK_ULONG i = 0; i < total; i++) {
    struct object object;
    if (read_object(handles[i], &object) && visible(&object) && matches(&object, template, count)) session->found[session->found_count++] = handles[i];
  }
  session->finding = 1;
  return CKR_OK;
}

static CK_RV gost_FindObjects(CK_SESSION_HANDLE session_handle, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG_PTR count) {
  SESSION(session);
  if (!session->finding) return CKR_OPERATION_NOT_INITIALIZED;
  *count = 0;
  while (*count < max && session->found_next < session->found_count) out[(*count)++] = session->found[session->found_next++];
  return CKR_OK;
}

static CK_RV gost_FindObjectsFinal(CK_SESSION_HANDLE session_handle) {
  SESSION(session);
  if (!session->finding) return CKR_OPERATION_NOT_INITIALIZED;
  session->finding = 0;
  return CKR_OK;
}

static CK_RV gost_SignInit(CK_SESSION_HANDLE session_handle, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key) {
  SESSION(session);
  if (session->signing) return CKR_OPERATION_ACTIVE;
  if (!logged_in) return CKR_USER_NOT_LOGGED_IN;
  if (mechanism->mechanism != CKM_GOSTR3410 && mechanism->mechanism != CKM_GOSTR3410_512) return CKR_MECHANISM_INVALID;
  struct object object;
  if (!read_object(key, &object) || class_of(&object) != CKO_PRIVATE_KEY) return CKR_KEY_HANDLE_INVALID;
  CK_ULONG key_type, length = sizeof key_type;
  if (attribute_of(&object, CKA_KEY_TYPE, (unsigned char *)&key_type, &length) != CKR_OK) return CKR_KEY_HANDLE_INVALID;
  if ((mechanism->mechanism == CKM_GOSTR3410) != (key_type == CKK_GOSTR3410)) return CKR_KEY_TYPE_INCONSISTENT;
  session->signing = 1;
  session->sign_key = key;
  session->sign_mechanism = mechanism->mechanism;
  return CKR_OK;
}

static CK_RV gost_Sign(CK_SESSION_HANDLE session_handle, CK_BYTE_PTR data, CK_ULONG length, CK_BYTE_PTR signature, CK_ULONG_PTR signature_length) {
  SESSION(session);
  if (!session->signing) return CKR_OPERATION_NOT_INITIALIZED;
  CK_ULONG digest_length = session->sign_mechanism == CKM_GOSTR3410_512 ? 64 : 32;
  CK_ULONG needed = 2 * digest_length;
  if (!signature) {
    *signature_length = needed; /* a size query keeps the operation active */
    return CKR_OK;
  }
  if (*signature_length < needed) {
    *signature_length = needed;
    return CKR_BUFFER_TOO_SMALL;
  }
  session->signing = 0;
  if (length != digest_length) return CKR_DATA_LEN_RANGE;
  struct object object;
  if (!read_object(session->sign_key, &object)) return CKR_KEY_HANDLE_INVALID;
  EVP_PKEY *key = load_key(&object);
  if (!key) return CKR_DEVICE_ERROR;
  CK_RV rv = CKR_FUNCTION_FAILED;
  EVP_PKEY_CTX *context = EVP_PKEY_CTX_new(key, gost);
  size_t out_length = *signature_length;
  if (context && EVP_PKEY_sign_init(context) > 0 && EVP_PKEY_sign(context, signature, &out_length, data, length) > 0) {
    *signature_length = out_length; /* s||r, each big-endian */
    rv = CKR_OK;
  }
  EVP_PKEY_CTX_free(context);
  EVP_PKEY_free(key);
  return rv;
}

/* Key pair generation: the parameter set from CKA_GOSTR3410_PARAMS (or CKA_GOSTR3410_512PARAMS). */
static CK_RV gost_GenerateKeyPair(CK_SESSION_HANDLE session_handle, CK_MECHANISM_PTR mechanism, CK_ATTRIBUTE_PTR public_template, CK_ULONG public_count,
                                  CK_ATTRIBUTE_PTR private_template, CK_ULONG private_count, CK_OBJECT_HANDLE_PTR public_key, CK_OBJECT_HANDLE_PTR private_key) {
  SESSION(session);
  if (!(session->flags & CKF_RW_SESSION)) return CKR_SESSION_READ_ONLY;
  if (!logged_in) return CKR_USER_NOT_LOGGED_IN;
  int big;
  if (mechanism->mechanism == CKM_GOSTR3410_KEY_PAIR_GEN) big = 0;
  else if (mechanism->mechanism == CKM_GOSTR3410_512_KEY_PAIR_GEN) big = 1;
  else return CKR_MECHANISM_INVALID;
  const CK_ATTRIBUTE *params = find_attribute(public_template, public_count, CKA_GOSTR3410_PARAMS);
  if (!params) params = find_attribute(public_template, public_count, CKA_GOSTR3410_512PARAMS);
  if (!params) params = find_attribute(private_template, private_count, CKA_GOSTR3410_PARAMS);
  if (!params) return CKR_TEMPLATE_INCOMPLETE;
  const unsigned char *p = params->pValue;
  ASN1_OBJECT *oid = d2i_ASN1_OBJECT(NULL, &p, params->ulValueLen);
  if (!oid) return CKR_ATTRIBUTE_VALUE_INVALID;
  char oid_text[128];
  OBJ_obj2txt(oid_text, sizeof oid_text, oid, 1);
  ASN1_OBJECT_free(oid);

  CK_RV rv = CKR_ATTRIBUTE_VALUE_INVALID;
  EVP_PKEY *key = NULL;
  EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_id(big ? NID_id_GostR3410_2012_512 : NID_id_GostR3410_2012_256, gost);
  if (context && EVP_PKEY_keygen_init(context) > 0 && EVP_PKEY_CTX_ctrl_str(context, "paramset", oid_text) > 0 && EVP_PKEY_keygen(context, &key) > 0) {
    struct object private_object, public_object;
    memset(&private_object, 0, sizeof private_object);
    private_object.handle = next_handle();
    strcpy(private_object.class_name, "priv");
    snprintf(private_object.file, sizeof private_object.file, "%lu.pem", (unsigned long)private_object.handle);
    text_attribute(private_template, private_count, CKA_ID, private_object.id, sizeof private_object.id);
    text_attribute(private_template, private_count, CKA_LABEL, private_object.label, sizeof private_object.label);
    public_object = private_object;
    public_object.handle = private_object.handle + 1;
    strcpy(public_object.class_name, "pub");
    public_object.id[0] = public_object.label[0] = '\0';
    text_attribute(public_template, public_count, CKA_ID, public_object.id, sizeof public_object.id);
    text_attribute(public_template, public_count, CKA_LABEL, public_object.label, sizeof public_object.label);
    char path[1024];
    store_path(path, sizeof path, private_object.file);
    FILE *file = fopen(path, "w");
    int written = file && PEM_write_PrivateKey(file, key, NULL, NULL, 0, NULL, NULL);
    if (file) fclose(file);
    if (written && write_object(&private_object) && write_object(&public_object)) {
      *private_key = private_object.handle;
      *public_key = public_object.handle;
      rv = CKR_OK;
    } else {
      rv = CKR_DEVICE_ERROR;
    }
  }
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(context);
  return rv;
}

static CK_RV gost_GenerateRandom(CK_SESSION_HANDLE session_handle, CK_BYTE_PTR out, CK_ULONG length) {
  SESSION(session);
  (void)session;
  FILE *random = fopen("/dev/urandom", "rb");
  size_t read = random ? fread(out, 1, length, random) : 0;
  if (random) fclose(random);
  return read == length ? CKR_OK : CKR_DEVICE_ERROR;
}

static CK_RV not_supported(void) { return CKR_FUNCTION_NOT_SUPPORTED; }

CK_DEFINE_FUNCTION(CK_RV, C_GetFunctionList)(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!functions.C_Initialize) {
    /* every entry first answers CKR_FUNCTION_NOT_SUPPORTED, then the ones implemented here */
    CK_RV (**entry)(void) = (CK_RV(**)(void)) & functions.C_Initialize;
    CK_RV (**end)(void) = (CK_RV(**)(void))((char *)&functions + sizeof functions);
    for (; entry < end; entry++) *entry = not_supported;
    functions.version.major = 2;
    functions.version.minor = 40;
    functions.C_Initialize = gost_Initialize;
    functions.C_Finalize = gost_Finalize;
    functions.C_GetInfo = gost_GetInfo;
    functions.C_GetFunctionList = C_GetFunctionList;
    functions.C_GetSlotList = gost_GetSlotList;
    functions.C_GetSlotInfo = gost_GetSlotInfo;
    functions.C_GetTokenInfo = gost_GetTokenInfo;
    functions.C_GetMechanismList = gost_GetMechanismList;
    functions.C_GetMechanismInfo = gost_GetMechanismInfo;
    functions.C_OpenSession = gost_OpenSession;
    functions.C_CloseSession = gost_CloseSession;
    functions.C_CloseAllSessions = gost_CloseAllSessions;
    functions.C_GetSessionInfo = gost_GetSessionInfo;
    functions.C_Login = gost_Login;
    functions.C_Logout = gost_Logout;
    functions.C_CreateObject = gost_CreateObject;
    functions.C_DestroyObject = gost_DestroyObject;
    functions.C_GetAttributeValue = gost_GetAttributeValue;
    functions.C_SetAttributeValue = gost_SetAttributeValue;
    functions.C_FindObjectsInit = gost_FindObjectsInit;
    functions.C_FindObjects = gost_FindObjects;
    functions.C_FindObjectsFinal = gost_FindObjectsFinal;
    functions.C_SignInit = gost_SignInit;
    functions.C_Sign = gost_Sign;
    functions.C_GenerateKeyPair = gost_GenerateKeyPair;
    functions.C_GenerateRandom = gost_GenerateRandom;
  }
  *list = &functions;
  return CKR_OK;
}
