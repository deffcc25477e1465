/**
 * An address where nothing answers: connections to it are refused at once, and no test can take
 * the port by chance (binding port 1 needs root, and no service of ours runs there). Unlike a port
 * picked free and released, it cannot be handed to another process meanwhile.
 */
export const UNREACHABLE_ADDRESS = '127.0.0.1:1';
