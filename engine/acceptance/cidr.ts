// IPv4 CIDR arithmetic for the network checks: membership of an address, overlap of two blocks.

function toNumber(ip: string): number {
    return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function range(cidr: string): { first: number; size: number } {
    const [base, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    return { first: Math.floor(toNumber(base) / size) * size, size };
}

export function inSubnet(address: string, cidr: string): boolean {
    const { first, size } = range(cidr);
    const ip = toNumber(address);
    return ip >= first && ip < first + size;
}

export function overlaps(a: string, b: string): boolean {
    const x = range(a);
    const y = range(b);
    return x.first < y.first + y.size && y.first < x.first + x.size;
}
