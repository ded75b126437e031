namespace CloudInventory.Storage.Internal;

/// <summary>
/// The type codes of the Thrift compact protocol, as they appear in field headers and in list, set and map headers.
/// A boolean field carries its value in its type (<see cref="BoolTrue"/> or <see cref="BoolFalse"/>); a boolean
/// element of a container is one byte, and its element type is written as either code (the spec says 2, older
/// writers use 1).
/// </summary>
internal enum ThriftType : byte
{
    Stop = 0,
    BoolTrue = 1,
    BoolFalse = 2,
    I8 = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
    Uuid = 13,
}
