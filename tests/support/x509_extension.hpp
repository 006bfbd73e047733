#pragma once
// x509_extension: one X.509v3 extension ("critical,CA:TRUE", "DNS:localhost", ...) added to a certificate a test
// makes, with the issuer's view for the key identifiers. Throws when OpenSSL refuses it (no Catch here).
#include <openssl/x509.h>

namespace test_support {

void add_x509_extension(X509* cert, X509* issuer, int nid, const char* value);

// The extensions of a test certificate's role, `signer` its issuer (itself when self-signed): a CA (keyCertSign)
// when `alt_names` is null, else a leaf for those names ("DNS:localhost,IP:127.0.0.1").
void add_certificate_role(X509* cert, X509* signer, const char* alt_names);

}  // namespace test_support
