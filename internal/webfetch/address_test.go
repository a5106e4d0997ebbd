package webfetch

import (
	"net/netip"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want string // a word of the class; "" for public
	}{
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"2606:4700::1111", ""},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.255", "carrier-grade NAT"},
		{"100.128.0.1", ""},
		{"169.254.169.254", "metadata"},
		{"169.254.1.1", "link-local"},
		{"fd00:ec2::254", "metadata"},
		{"fd12:3456::1", "unique local"},
		{"fc00::1", "unique local"},
		{"fe80::1", "link-local"},
		{"fec0::1", "site-local"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"255.255.255.255", "reserved"},
		{"240.0.0.1", "reserved"},
		{"192.0.2.1", "documentation"},
		{"2001:db8::1", "documentation"},
		// IPv6 forms that reach an IPv4 address are judged by it.
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:169.254.169.254", "metadata"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::7f00:1", "loopback"},
		{"64:ff9b::a00:1", "private"},
		{"2002:7f00:1::", "loopback"},
		{"2002:a9fe:a9fe::", "metadata"},
		{"::7f00:1", "loopback"},
		{"::a9fe:a9fe", "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			got := Classify(netip.MustParseAddr(tt.addr))
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("Classify(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
	if got := Classify(netip.Addr{}); got == "" {
		t.Error("the zero address is public; want it refused")
	}
	if got := Classify(netip.MustParseAddr("fe80::1%eth0")); got == "" {
		t.Error("a zoned address is public; want it refused")
	}
}

func TestParseHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host     string
		wantName string
		wantAddr string
		wantErr  string
	}{
		{"Example.COM", "example.com", "", ""},
		{"example.com.", "example.com", "", ""},
		{"127.0.0.1", "", "127.0.0.1", ""},
		{"[::1]", "", "::1", ""},
		{"[::ffff:127.0.0.1]", "", "::ffff:127.0.0.1", ""},
		{"2130706433", "", "", "decimal"},
		{"0x7f000001", "", "", "decimal"},
		{"0x7f.1", "", "", "decimal"},
		{"0177.0.0.1", "", "", "decimal"},
		{"127.1", "", "", "decimal"},
		{"127.0.1", "", "", "decimal"},
		{"1.2.3.0x4", "", "", "decimal"},
		{"017700000001", "", "", "decimal"},
		{"99999999999999999999", "", "", "decimal"},
		{"[fe80::1%25eth0]", "", "", "zoned"},
		{"[fe80::1%eth0]", "", "", "zoned"},
		{"[127.0.0.1]", "", "", "IPv6"},
		{"", "", "", "no host"},
		{"exa mple.com", "", "", "valid host"},
		{"a..b", "", "", "valid host"},
		{"1password.com", "1password.com", "", ""},
		{"0x.example", "0x.example", "", ""},
		{"123.example", "123.example", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			t.Parallel()
			name, addr, err := ParseHost(tt.host)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseHost(%q) = %q, %v, %v; want an error about %q", tt.host, name, addr, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHost(%q): %v", tt.host, err)
			}
			gotAddr := ""
			if addr.IsValid() {
				gotAddr = addr.String()
			}
			if name != tt.wantName || gotAddr != tt.wantAddr {
				t.Errorf("ParseHost(%q) = %q, %q; want %q, %q", tt.host, name, gotAddr, tt.wantName, tt.wantAddr)
			}
		})
	}
}

// FuzzClassify checks the classifier against the standard library's own
// predicates: whatever net/netip calls loopback, private, link-local,
// multicast or unspecified — in any IPv6 form that reaches an IPv4
// address — is never public.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:101::", "8.8.8.8", "fd00::1"} {
		a := netip.MustParseAddr(s)
		b := a.As16()
		f.Add(b[:])
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var a netip.Addr
		switch len(raw) {
		case 4:
			a = netip.AddrFrom4([4]byte(raw))
		case 16:
			a = netip.AddrFrom16([16]byte(raw))
		default:
			return
		}
		got := Classify(a)
		for _, form := range []netip.Addr{a, a.Unmap(), embeddedIPv4(a)} {
			if (form.IsLoopback() || form.IsPrivate() || form.IsLinkLocalUnicast() || form.IsLinkLocalMulticast() ||
				form.IsMulticast() || form.IsUnspecified() || form.IsInterfaceLocalMulticast()) && got == "" {
				t.Fatalf("Classify(%s) is public, but %s is not a public address", a, form)
			}
		}
		if a.Is4() {
			mapped := netip.AddrFrom16(a.As16())
			if Classify(mapped) != got {
				t.Fatalf("Classify(%s) = %q but Classify(%s) = %q", a, got, mapped, Classify(mapped))
			}
		}
	})
}

// FuzzParseHost checks that a host ParseHost accepts as a name is not
// something an IPv4 parser would read as an address.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{"example.com", "2130706433", "0x7f.1", "127.1", "[::1]", "1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		name, addr, err := ParseHost(host)
		if err != nil {
			return
		}
		if name != "" && addr.IsValid() {
			t.Fatalf("ParseHost(%q) returned both a name and an address", host)
		}
		if name != "" {
			if _, err := netip.ParseAddr(name); err == nil {
				t.Fatalf("ParseHost(%q) = name %q, which is an address", host, name)
			}
			if looksNumeric(name) {
				t.Fatalf("ParseHost(%q) = name %q, which some resolvers read as an address", host, name)
			}
		}
	})
}
