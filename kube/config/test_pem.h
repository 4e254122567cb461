#pragma once

// A throwaway self-signed certificate and its key (CN=test, EC P-256), for tests only.
namespace numalign::kube::testing {

inline constexpr char kTestCertPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBdjCCARugAwIBAgIUMz7CMPuXwUxg/HFGe5+4knSWdk0wCgYIKoZIzj0EAwIw
DzENMAsGA1UEAwwEdGVzdDAgFw0yNjExMjIxMjI4NDNaGA8yMTI2MTAyOTEyMjg0
M1owDzENMAsGA1UEAwwEdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJaD
1l4oLL8bXdUzWldjk1qoEuTwAixm83ttd9FEYi8qZesH7ESamptlHg70i772WXtC
o7xDKg2Kc1awqB3AHOOjUzBRMB0GA1UdDgQWBBQmwmLEW9T9hH8OY5ZdD/a0UwPx
wjAfBgNVHSMEGDAWgBQmwmLEW9T9hH8OY5ZdD/a0UwPxwjAPBgNVHRMBAf8EBTAD
AQH/MAoGCCqGSM49BAMCA0kAMEYCIQDwK5aJf++ntOPk+UfRt8j2M+QIUbnmtyw7
e5EfGr7x7QIhAP9anoVHUSlHpu70BoPigQ1laTuCaZuECCq/PnMIIPkL
-----END CERTIFICATE-----
)";

inline constexpr char kTestKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzgTEsUVny8DCA9AZ
oi+9Z8Jpq7A3lqzPNvHok+lzyS6hRANCAASWg9ZeKCy/G13VM1pXY5NaqBLk8AIs
ZvN7bXfRRGIvKmXrB+xEmpqbZR4O9Iu+9ll7QqO8QyoNinNWsKgdwBzj
-----END PRIVATE KEY-----
)";

}  // namespace numalign::kube::testing
