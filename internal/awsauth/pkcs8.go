package awsauth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo (RFC 5208) protected
// with PBES2 (RFC 8018): PBKDF2 with HMAC-SHA1/SHA-224/SHA-256/SHA-384/
// SHA-512 and AES-CBC, which is what OpenSSL 1.1 and later write by
// default. The standard library reads PKCS#8 but not its encrypted form;
// these few lines are cheaper than a dependency for one format. Legacy
// PBES1 schemes (DES, RC2) are refused with a message.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info struct {
		Algo struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		Data []byte
	}
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, fmt.Errorf("parse encrypted key: %w", err)
	}
	if !info.Algo.OID.Equal(oidPBES2) {
		return nil, fmt.Errorf("encryption scheme %v is not PBES2 (re-encrypt the key: openssl pkcs8 -topk8 -v2 aes256)", info.Algo.OID)
	}
	var params struct {
		KDF struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		Cipher struct {
			OID asn1.ObjectIdentifier
			IV  []byte
		}
	}
	if _, err := asn1.Unmarshal(info.Algo.Params.FullBytes, &params); err != nil {
		return nil, fmt.Errorf("parse PBES2 parameters: %w", err)
	}
	if !params.KDF.OID.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("key derivation %v is not PBKDF2", params.KDF.OID)
	}
	var kdf struct {
		Salt       []byte
		Iterations int
		KeyLength  int                     `asn1:"optional"`
		PRF        pkixAlgorithmIdentifier `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(params.KDF.Params.FullBytes, &kdf); err != nil {
		return nil, fmt.Errorf("parse PBKDF2 parameters: %w", err)
	}
	prf, err := prfHash(kdf.PRF.OID)
	if err != nil {
		return nil, err
	}
	keyLen, ok := aesKeyLengths[params.Cipher.OID.String()]
	if !ok {
		return nil, fmt.Errorf("cipher %v is not AES-CBC", params.Cipher.OID)
	}
	key, err := pbkdf2.Key(prf, string(passphrase), kdf.Salt, kdf.Iterations, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(params.Cipher.IV) != aes.BlockSize || len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("malformed encrypted key")
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, params.Cipher.IV).CryptBlocks(out, info.Data)
	// PKCS#7 padding; a wrong passphrase almost always breaks it.
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize || pad > len(out) {
		return nil, errors.New("decryption failed")
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, errors.New("decryption failed")
		}
	}
	return out[:len(out)-pad], nil
}

type pkixAlgorithmIdentifier struct {
	OID    asn1.ObjectIdentifier
	Params asn1.RawValue `asn1:"optional"`
}

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
)

// aesKeyLengths are the AES-CBC ciphers of NIST's arc, by OID.
var aesKeyLengths = map[string]int{
	"2.16.840.1.101.3.4.1.2":  16, // aes128-CBC
	"2.16.840.1.101.3.4.1.22": 24, // aes192-CBC
	"2.16.840.1.101.3.4.1.42": 32, // aes256-CBC
}

// prfHash is PBKDF2's pseudo-random function; absent means HMAC-SHA1.
func prfHash(oid asn1.ObjectIdentifier) (func() hash.Hash, error) {
	switch oid.String() {
	case "", "1.2.840.113549.2.7":
		return sha1.New, nil
	case "1.2.840.113549.2.8":
		return sha256.New224, nil
	case "1.2.840.113549.2.9":
		return sha256.New, nil
	case "1.2.840.113549.2.10":
		return sha512.New384, nil
	case "1.2.840.113549.2.11":
		return sha512.New, nil
	}
	return nil, fmt.Errorf("PBKDF2 pseudo-random function %v is not supported", oid)
}
