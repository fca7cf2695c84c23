//! The message catalogue: every text a client can read, in both languages, in one place.
//! The match is exhaustive, so a new message cannot ship without its translation.

use super::Locale;

/// Something gerbang tells a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// UNAUTHENTICATED: the same text for every reason, so it reveals none.
    Unauthenticated,
    /// FORBIDDEN.
    Forbidden,
    /// NOT_FOUND for a user.
    UserNotFound,
    /// NOT_FOUND for a role.
    RoleNotFound,
    /// NOT_FOUND for a session.
    SessionNotFound,
    /// NOT_FOUND: no API key with that id.
    ApiKeyNotFound,
    /// BAD_USER_INPUT summary; the details are in `extensions.fields`.
    InvalidInput,
    /// TOO_MANY_REQUESTS.
    TooManyRequests,
    /// INTERNAL_SERVER_ERROR: never more than this.
    Internal,
    /// The request itself (syntax, limits, variables) is not acceptable.
    BadRequest,
    /// Field: a value is required.
    Required,
    /// Field: shorter than allowed.
    TooShort {
        /// Fewest characters.
        min: usize,
    },
    /// Field: longer than allowed.
    TooLong {
        /// Most characters (or bytes, for JSON).
        max: usize,
    },
    /// Field: not an email address.
    InvalidEmail,
    /// Field: username outside `a-z0-9._-`.
    InvalidUsername,
    /// Field: not a phone number.
    InvalidPhoneNumber,
    /// Field: not an http(s) URL.
    InvalidUrl,
    /// Field: control characters are not allowed.
    InvalidCharacters,
    /// Field: must be a JSON object.
    NotAnObject,
    /// Field: must be a positive number.
    NotPositive,
    /// Field: not a valid id.
    InvalidId,
    /// Field: password found in the list of common passwords.
    CommonPassword,
    /// Field: email already used by another account.
    EmailTaken,
    /// Field: username already used by another account.
    UsernameTaken,
    /// Field: role name already used.
    RoleNameTaken,
    /// Field: role code already used.
    RoleCodeTaken,
    /// Field: a cursor that this list did not produce (or for another sort).
    InvalidCursor,
    /// Field: page size out of range.
    PageSize {
        /// The largest page.
        max: u64,
    },
    /// Field: `first/after` and `last/before` together.
    OneDirection,
    /// Field: `until` is not after `since`.
    EmptyTimeRange,
    /// Field: the current password does not match.
    WrongPassword,
    /// Request: more than one of register/login/refreshToken.
    OneAuthOperation,
    /// Request: too many aliases.
    TooManyAliases {
        /// The limit.
        max: u64,
    },
    /// Request: selections nested deeper than allowed.
    NestedTooDeep {
        /// The limit.
        max: usize,
    },
    /// Request: a fragment spreads itself, directly or through others.
    FragmentCycle {
        /// The fragment.
        name: String,
    },
    /// Request: too many selections once every fragment is expanded.
    DocumentTooLarge {
        /// The limit.
        max: u64,
    },
    /// Request: an `operationName` longer than any operation's name may be.
    OperationNameTooLong {
        /// Most bytes.
        max: usize,
    },
    /// Request: a batch longer than allowed.
    BatchTooLong {
        /// The limit.
        max: usize,
    },
    /// Request: the batch as a whole is more complex than one request may be.
    BatchTooComplex {
        /// The limit.
        max: usize,
    },
    /// Field: a list with more entries than allowed.
    TooMany {
        /// Most entries.
        max: usize,
    },
    /// Field: too long a search term.
    SearchTooLong {
        /// Most characters.
        max: usize,
    },
    /// CONFLICT: the last active holder of ROLE_WRITE would be lost.
    LastRoleWriter,
    /// Field: an entry that is not an application permission name.
    InvalidAppPermission {
        /// The entry as given.
        name: String,
    },
    /// Field: a time that has already passed.
    InThePast,
    /// Field: not a language gerbang writes in.
    InvalidLocale,
    /// Field: a mail link's token that is unknown, used or expired.
    InvalidLink,
    /// Field: the new email is the current one.
    SameEmail,
    /// UNAUTHENTICATED: the password was right; a second factor is needed.
    MfaRequired,
    /// CONFLICT: TOTP is on already.
    TotpAlreadyOn,
    /// CONFLICT: TOTP is not on.
    TotpNotOn,
    /// CONFLICT: no TOTP enrolment was begun.
    NoTotpEnrollment,
    /// Field: not a current code of the authenticator app.
    WrongCode,
    /// NOT_FOUND: no passkey of the caller's with that id.
    PasskeyNotFound,
    /// Field: a passkey ceremony that is unknown, finished, expired or someone else's.
    InvalidChallenge,
    /// Field: an answer from the authenticator that does not verify (origin, challenge,
    /// signature, flags).
    PasskeyRejected,
    /// CONFLICT: the credential is registered already.
    PasskeyTaken,
    /// CONFLICT: the account has as many passkeys as it may.
    TooManyPasskeys {
        /// Most passkeys per account.
        max: usize,
    },
    /// Refused: Sign-in needs a verified address.
    EmailNotVerified,
    /// Refused: No passkey relying party is configured.
    PasskeysDisabled,
    /// Refused: Adding a credential needs the current password or a recent sign-in.
    RecentSignInRequired,
    /// Refused: Only a person signed in with a session, never an API key.
    PersonOnly,
    /// Refused: System roles keep their names and cannot be deleted.
    SystemRole,
    /// Refused: The target user holds permissions the caller does not.
    OutOfReach,
    /// Refused: Giving or taking away permissions the caller does not hold.
    NotHeld,
    /// Refused: Not for one's own account.
    NotForSelf,
    /// Refused: Self-registration is turned off.
    RegistrationClosed,
}

impl Message {
    /// The text in the given language.
    pub(crate) fn text(&self, locale: Locale) -> String {
        use Locale::{En, Id};
        match (self, locale) {
            (Self::Unauthenticated, En) => "Authentication required or credentials are invalid".into(),
            (Self::Unauthenticated, Id) => "Perlu autentikasi atau kredensial tidak valid".into(),
            (Self::Forbidden, En) => "You do not have permission to do this".into(),
            (Self::Forbidden, Id) => "Anda tidak memiliki izin untuk melakukan ini".into(),
            (Self::UserNotFound, En) => "User not found".into(),
            (Self::UserNotFound, Id) => "Pengguna tidak ditemukan".into(),
            (Self::RoleNotFound, En) => "Role not found".into(),
            (Self::RoleNotFound, Id) => "Peran tidak ditemukan".into(),
            (Self::SessionNotFound, En) => "Session not found".into(),
            (Self::SessionNotFound, Id) => "Sesi tidak ditemukan".into(),
            (Self::ApiKeyNotFound, En) => "API key not found".into(),
            (Self::ApiKeyNotFound, Id) => "Kunci API tidak ditemukan".into(),
            (Self::InvalidAppPermission { name }, En) => format!(
                "\"{name}\" is not an application permission name: a lowercase letter, then up to 127 of a-z, 0-9, _ . : -"
            ),
            (Self::InvalidAppPermission { name }, Id) => format!(
                "\"{name}\" bukan nama izin aplikasi: huruf kecil, lalu paling banyak 127 dari a-z, 0-9, _ . : -"
            ),
            (Self::InThePast, En) => "This time has already passed".into(),
            (Self::InThePast, Id) => "Waktu ini sudah lewat".into(),
            (Self::InvalidLocale, En) => "Must be \"en\" or \"id\"".into(),
            (Self::InvalidLocale, Id) => "Harus \"en\" atau \"id\"".into(),
            (Self::InvalidLink, En) => "This link is invalid, already used or expired; ask for a new one".into(),
            (Self::InvalidLink, Id) => {
                "Tautan ini tidak valid, sudah dipakai, atau kedaluwarsa; minta yang baru".into()
            }
            (Self::SameEmail, En) => "This is already the account's email".into(),
            (Self::SameEmail, Id) => "Ini sudah menjadi email akun ini".into(),
            (Self::MfaRequired, En) => "Enter a code from your authenticator app or a recovery code".into(),
            (Self::MfaRequired, Id) => "Masukkan kode dari aplikasi autentikator atau kode pemulihan".into(),
            (Self::TotpAlreadyOn, En) => "An authenticator app is already set up; turn it off first".into(),
            (Self::TotpAlreadyOn, Id) => "Aplikasi autentikator sudah terpasang; matikan dulu".into(),
            (Self::TotpNotOn, En) => "No authenticator app is set up".into(),
            (Self::TotpNotOn, Id) => "Belum ada aplikasi autentikator yang terpasang".into(),
            (Self::NoTotpEnrollment, En) => "Begin setting up an authenticator app first".into(),
            (Self::NoTotpEnrollment, Id) => "Mulai pemasangan aplikasi autentikator terlebih dahulu".into(),
            (Self::WrongCode, En) => "This code is not valid now; enter the current one".into(),
            (Self::WrongCode, Id) => "Kode ini tidak berlaku sekarang; masukkan kode yang terbaru".into(),
            (Self::PasskeyNotFound, En) => "Passkey not found".into(),
            (Self::PasskeyNotFound, Id) => "Passkey tidak ditemukan".into(),
            (Self::InvalidChallenge, En) => {
                "This passkey request is unknown, already used or expired; start again".into()
            }
            (Self::InvalidChallenge, Id) => {
                "Permintaan passkey ini tidak dikenal, sudah dipakai, atau kedaluwarsa; mulai lagi".into()
            }
            (Self::PasskeyRejected, En) => "The passkey's answer could not be verified".into(),
            (Self::PasskeyRejected, Id) => "Jawaban passkey tidak dapat diverifikasi".into(),
            (Self::PasskeyTaken, En) => "This passkey is already registered".into(),
            (Self::PasskeyTaken, Id) => "Passkey ini sudah terdaftar".into(),
            (Self::TooManyPasskeys { max }, En) => {
                format!("An account may have at most {max} passkeys; remove one first")
            }
            (Self::TooManyPasskeys { max }, Id) => {
                format!("Satu akun paling banyak memiliki {max} passkey; hapus salah satu dulu")
            }
            (Self::EmailNotVerified, En) => "Verify your email address before signing in".into(),
            (Self::EmailNotVerified, Id) => "Verifikasi alamat email Anda sebelum masuk".into(),
            (Self::PasskeysDisabled, En) => "Passkeys are not set up on this server".into(),
            (Self::PasskeysDisabled, Id) => "Passkey belum disiapkan di server ini".into(),
            (Self::RecentSignInRequired, En) => "Enter your current password to add a sign-in method".into(),
            (Self::RecentSignInRequired, Id) => "Masukkan kata sandi Anda saat ini untuk menambah metode masuk".into(),
            (Self::PersonOnly, En) => "An API key cannot do this; sign in as a person".into(),
            (Self::PersonOnly, Id) => "Kunci API tidak dapat melakukan ini; masuklah sebagai pengguna".into(),
            (Self::SystemRole, En) => "System roles cannot be renamed or deleted".into(),
            (Self::SystemRole, Id) => "Peran sistem tidak dapat diganti namanya atau dihapus".into(),
            (Self::OutOfReach, En) => "This user holds permissions you do not have".into(),
            (Self::OutOfReach, Id) => "Pengguna ini memiliki izin yang tidak Anda miliki".into(),
            (Self::NotHeld, En) => "You can only give or take away permissions you hold yourself".into(),
            (Self::NotHeld, Id) => "Anda hanya dapat memberi atau mencabut izin yang Anda miliki sendiri".into(),
            (Self::NotForSelf, En) => "You cannot change this on your own account".into(),
            (Self::NotForSelf, Id) => "Anda tidak dapat mengubah ini pada akun Anda sendiri".into(),
            (Self::RegistrationClosed, En) => "Registration is closed on this server".into(),
            (Self::RegistrationClosed, Id) => "Pendaftaran ditutup di server ini".into(),
            (Self::InvalidInput, En) => "Some input is invalid".into(),
            (Self::InvalidInput, Id) => "Sebagian masukan tidak valid".into(),
            (Self::TooManyRequests, En) => "Too many attempts; try again later".into(),
            (Self::TooManyRequests, Id) => "Terlalu banyak percobaan; coba lagi nanti".into(),
            (Self::Internal, En) => "Internal server error".into(),
            (Self::Internal, Id) => "Terjadi kesalahan pada server".into(),
            (Self::BadRequest, En) => "The request is invalid".into(),
            (Self::BadRequest, Id) => "Permintaan tidak valid".into(),
            (Self::Required, En) => "This value is required".into(),
            (Self::Required, Id) => "Nilai ini wajib diisi".into(),
            (Self::TooShort { min }, En) => format!("Must be at least {min} characters"),
            (Self::TooShort { min }, Id) => format!("Minimal {min} karakter"),
            (Self::TooLong { max }, En) => format!("Must be at most {max} characters"),
            (Self::TooLong { max }, Id) => format!("Maksimal {max} karakter"),
            (Self::InvalidEmail, En) => "Not a valid email address".into(),
            (Self::InvalidEmail, Id) => "Alamat email tidak valid".into(),
            (Self::InvalidUsername, En) => "Use 3 to 32 of the characters a-z, 0-9, dot, underscore and hyphen".into(),
            (Self::InvalidUsername, Id) => {
                "Gunakan 3 sampai 32 karakter a-z, 0-9, titik, garis bawah, dan tanda hubung".into()
            }
            (Self::InvalidPhoneNumber, En) => "Not a valid phone number (e.g. +6281234567890)".into(),
            (Self::InvalidPhoneNumber, Id) => "Nomor telepon tidak valid (mis. +6281234567890)".into(),
            (Self::InvalidUrl, En) => "Must be an http or https URL".into(),
            (Self::InvalidUrl, Id) => "Harus berupa URL http atau https".into(),
            (Self::InvalidCharacters, En) => "Contains characters that are not allowed".into(),
            (Self::InvalidCharacters, Id) => "Berisi karakter yang tidak diizinkan".into(),
            (Self::NotAnObject, En) => "Must be a JSON object".into(),
            (Self::NotAnObject, Id) => "Harus berupa objek JSON".into(),
            (Self::NotPositive, En) => "Must be a positive number".into(),
            (Self::NotPositive, Id) => "Harus berupa bilangan positif".into(),
            (Self::InvalidId, En) => "Not a valid id".into(),
            (Self::InvalidId, Id) => "ID tidak valid".into(),
            (Self::CommonPassword, En) => "This password is too common; choose another".into(),
            (Self::CommonPassword, Id) => "Kata sandi ini terlalu umum; pilih yang lain".into(),
            (Self::EmailTaken, En) => "This email is already in use".into(),
            (Self::EmailTaken, Id) => "Email ini sudah digunakan".into(),
            (Self::UsernameTaken, En) => "This username is already in use".into(),
            (Self::UsernameTaken, Id) => "Nama pengguna ini sudah digunakan".into(),
            (Self::RoleNameTaken, En) => "A role with this name already exists".into(),
            (Self::RoleNameTaken, Id) => "Peran dengan nama ini sudah ada".into(),
            (Self::RoleCodeTaken, En) => "A role with this code already exists".into(),
            (Self::RoleCodeTaken, Id) => "Peran dengan kode ini sudah ada".into(),
            (Self::InvalidCursor, En) => "Not a cursor of this list and sort".into(),
            (Self::InvalidCursor, Id) => "Bukan kursor dari daftar dan urutan ini".into(),
            (Self::PageSize { max }, En) => format!("Must be between 0 and {max}"),
            (Self::PageSize { max }, Id) => format!("Harus antara 0 dan {max}"),
            (Self::OneDirection, En) => "Use either first/after or last/before, not both".into(),
            (Self::OneDirection, Id) => "Gunakan first/after atau last/before, tidak keduanya".into(),
            (Self::EmptyTimeRange, En) => "Must be later than since".into(),
            (Self::EmptyTimeRange, Id) => "Harus lebih lambat dari since".into(),
            (Self::WrongPassword, En) => "The current password is incorrect".into(),
            (Self::WrongPassword, Id) => "Kata sandi saat ini salah".into(),
            (Self::OneAuthOperation, En) => {
                "A request may contain at most one of register, login, completeLogin and refreshToken".into()
            }
            (Self::OneAuthOperation, Id) => {
                "Satu permintaan hanya boleh berisi satu dari register, login, completeLogin, dan refreshToken".into()
            }
            (Self::TooManyAliases { max }, En) => format!("The request uses more than {max} aliases"),
            (Self::TooManyAliases { max }, Id) => format!("Permintaan memakai lebih dari {max} alias"),
            (Self::NestedTooDeep { max }, En) => format!("The request nests selections more than {max} deep"),
            (Self::NestedTooDeep { max }, Id) => format!("Permintaan bersarang lebih dari {max} tingkat"),
            (Self::FragmentCycle { name }, En) => format!("Fragment {name} spreads itself"),
            (Self::FragmentCycle { name }, Id) => format!("Fragmen {name} menyebarkan dirinya sendiri"),
            (Self::DocumentTooLarge { max }, En) => {
                format!("The request selects more than {max} fields once its fragments are expanded")
            }
            (Self::DocumentTooLarge { max }, Id) => {
                format!("Permintaan memilih lebih dari {max} field setelah fragmennya dijabarkan")
            }
            (Self::OperationNameTooLong { max }, En) => format!("An operation name may have at most {max} bytes"),
            (Self::OperationNameTooLong { max }, Id) => format!("Nama operasi paling banyak {max} byte"),
            (Self::BatchTooLong { max }, En) => format!("A batch may hold at most {max} requests"),
            (Self::BatchTooLong { max }, Id) => format!("Satu batch paling banyak berisi {max} permintaan"),
            (Self::BatchTooComplex { max }, En) => {
                format!("The batch as a whole is more complex than {max}, the limit of one request")
            }
            (Self::BatchTooComplex { max }, Id) => {
                format!("Batch secara keseluruhan lebih kompleks dari {max}, batas satu permintaan")
            }
            (Self::TooMany { max }, En) => format!("At most {max} entries are allowed"),
            (Self::TooMany { max }, Id) => format!("Paling banyak {max} entri"),
            (Self::SearchTooLong { max }, En) => format!("A search term may have at most {max} characters"),
            (Self::SearchTooLong { max }, Id) => format!("Kata pencarian paling banyak {max} karakter"),
            (Self::LastRoleWriter, En) => "This would leave no active user able to manage roles (ROLE_WRITE)".into(),
            (Self::LastRoleWriter, Id) => {
                "Ini akan membuat tidak ada pengguna aktif yang dapat mengelola peran (ROLE_WRITE)".into()
            }
        }
    }
}
