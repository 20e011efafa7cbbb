package seal

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func newBox(t *testing.T) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpenRoundTrip(t *testing.T) {
	b := newBox(t)
	ad := []byte("realm=acme;user=42;totp")
	for _, plain := range [][]byte{nil, []byte("JBSWY3DPEHPK3PXP"), bytes.Repeat([]byte("k"), 4096)} {
		sealed := b.Seal(plain, ad)
		if sealed[0] != 1 || len(sealed) != 1+12+len(plain)+16 {
			t.Fatalf("sealed %d bytes, version %d; want 1+12+%d+16, version 1", len(sealed), sealed[0], len(plain))
		}
		if len(plain) > 0 && bytes.Contains(sealed, plain) {
			t.Fatal("plaintext visible in sealed value")
		}
		got, err := b.Open(sealed, ad)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, %v; want %q", got, err, plain)
		}
	}
	if bytes.Equal(b.Seal([]byte("x"), nil), b.Seal([]byte("x"), nil)) {
		t.Fatal("two seals of one value are equal: nonce not random")
	}
}

func TestOpenRefuses(t *testing.T) {
	b := newBox(t)
	ad := []byte("smtp:acme")
	sealed := b.Seal([]byte("hunter2"), ad)
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 1
		return c
	}
	for name, tc := range map[string]struct {
		box    *Box
		sealed []byte
		ad     []byte
	}{
		"wrong key":         {other, sealed, ad},
		"other ad":          {b, sealed, []byte("smtp:evil")},
		"missing ad":        {b, sealed, nil},
		"tampered version":  {b, flip(0), ad},
		"tampered nonce":    {b, flip(3), ad},
		"tampered body":     {b, flip(15), ad},
		"tampered tag":      {b, flip(len(sealed) - 1), ad},
		"truncated":         {b, sealed[:len(sealed)-1], ad},
		"too short":         {b, sealed[:10], ad},
		"empty":             {b, nil, ad},
		"extra byte at end": {b, append(bytes.Clone(sealed), 0), ad},
	} {
		got, err := tc.box.Open(tc.sealed, tc.ad)
		if !errors.Is(err, ErrOpen) || got != nil {
			t.Errorf("%s: Open = %q, %v; want nil, ErrOpen", name, got, err)
		}
	}
}

func TestNewRejectsBadKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
}

func TestLoadOrCreateKeyFromEnv(t *testing.T) {
	key := make([]byte, KeySize)
	rand.Read(key)
	path := filepath.Join(t.TempDir(), "never-created")
	for name, env := range map[string]string{
		"std base64":     base64.StdEncoding.EncodeToString(key),
		"raw std base64": base64.RawStdEncoding.EncodeToString(key),
		"url base64":     base64.URLEncoding.EncodeToString(key),
		"raw url base64": base64.RawURLEncoding.EncodeToString(key),
		"hex":            hex.EncodeToString(key),
		"upper hex":      strings.ToUpper(hex.EncodeToString(key)),
		"with spaces":    " " + base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		got, err := LoadOrCreateKey(env, path)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("%s: got %x, %v", name, got, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a key file was created although IAMD_MASTER_KEY was set")
	}
	short := base64.StdEncoding.EncodeToString(key[:16])
	for name, env := range map[string]string{
		"16 bytes":    short,
		"not base64":  "this is not a key!!",
		"63 hex":      hex.EncodeToString(key)[:63],
		"spaces only": "   ",
	} {
		_, err := LoadOrCreateKey(env, path)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), "IAMD_MASTER_KEY") || strings.Contains(err.Error(), short) {
			t.Errorf("%s: error %q should name IAMD_MASTER_KEY and not echo the value", name, err)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "secrets")
	path := filepath.Join(dir, "master.key")
	first, err := LoadOrCreateKey("", path)
	if err != nil || len(first) != KeySize {
		t.Fatalf("create: %d bytes, %v", len(first), err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Fatalf("key directory mode %v, want 0700", st.Mode().Perm())
	}
	text, _ := os.ReadFile(path)
	if decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text))); err != nil || !bytes.Equal(decoded, first) {
		t.Fatalf("key file is not the base64 of the key: %q", text)
	}
	again, err := LoadOrCreateKey("", path)
	if err != nil || !bytes.Equal(again, first) {
		t.Fatalf("second start got another key (%v)", err)
	}
	// A value sealed before a restart opens after it.
	b1, _ := New(first)
	b2, _ := New(again)
	if got, err := b2.Open(b1.Seal([]byte("seed"), nil), nil); err != nil || string(got) != "seed" {
		t.Fatalf("open after reload: %q, %v", got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("key directory holds %d entries, want only the key file", len(entries))
	}
}

func TestLoadOrCreateKeyConcurrentStartsAgree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateKey("", path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i := range keys {
		if !bytes.Equal(keys[i], keys[0]) {
			t.Fatal("concurrent first starts created different keys")
		}
	}
}

func TestLoadOrCreateKeyBadFileIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty":     "",
		"garbage":   "not a key at all",
		"too short": base64.StdEncoding.EncodeToString([]byte("sixteen byte key")),
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := LoadOrCreateKey("", path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
		if after, _ := os.ReadFile(path); string(after) != content {
			t.Errorf("%s: the bad key file was overwritten", name)
		}
	}
	hexPath := filepath.Join(dir, "hex")
	os.WriteFile(hexPath, []byte(strings.Repeat("ab", KeySize)+"\n"), 0o600)
	if k, err := LoadOrCreateKey("", hexPath); err != nil || !bytes.Equal(k, bytes.Repeat([]byte{0xab}, KeySize)) {
		t.Errorf("hex key file: %x, %v", k, err)
	}
	if _, err := LoadOrCreateKey("", ""); err == nil {
		t.Error("no env and no path: accepted")
	}
}
