// The environment variables the program itself sets on every workload (model/build.ts writes them
// under these names). The topology may not set them (the validator refuses each name, since the
// program's value would win or undo a stack setting), and the policy pack reads the agents manifest
// back from `agents`.
export const PROGRAM_VARIABLES = {
    secureZmq: "SECURE_ZMQ",
    group: "CASCADE_GROUP",
    machine: "CASCADE_MACHINE",
    redisHost: "REDIS_HOST",
    redisPort: "REDIS_PORT",
    redisPasswordFile: "REDIS_PASSWORD_FILE",
    zmqCertificatesDir: "ZMQ_CERTIFICATES_DIR",
    agents: "CASCADE_AGENTS",
    hubEndpoint: "MAINPC_HUB_ENDPOINT",
} as const;

export const PROGRAM_VARIABLE_NAMES: readonly string[] = Object.values(PROGRAM_VARIABLES);
