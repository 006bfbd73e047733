#include "tests/support/x509_extension.hpp"

#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

namespace test_support {

void add_x509_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (!extension) throw std::runtime_error(std::string("OpenSSL refused the extension ") + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

void add_certificate_role(X509* cert, X509* signer, const char* alt_names) {
  if (alt_names) {
    add_x509_extension(cert, signer, NID_basic_constraints, "critical,CA:FALSE");
    add_x509_extension(cert, signer, NID_subject_alt_name, alt_names);
  } else {
    add_x509_extension(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_x509_extension(cert, signer, NID_key_usage, "critical,keyCertSign");
  }
}

}  // namespace test_support
